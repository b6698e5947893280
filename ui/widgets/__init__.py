"""Shared pieces of every view: plain-text labels, themes, time wording, Qt guards."""
