"""Supervision on the desktop side: the live figures a supervisor watches (no Qt)."""
