"""Zuoxi hub: the server that connects customers' channels with agents' desktops."""
