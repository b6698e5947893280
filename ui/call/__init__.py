"""Calls: the incoming-call toast, the call panel, audio settings, and their wiring."""
