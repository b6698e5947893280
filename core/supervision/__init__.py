"""Supervision on the desktop's core: live figures, monitoring and coaching (no Qt)."""
