"""Zuoxi client engine. Imports no Qt: the desktop and the tests use it alike."""
