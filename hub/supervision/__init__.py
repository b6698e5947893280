"""Supervision on the hub: live figures, monitoring and coaching."""
