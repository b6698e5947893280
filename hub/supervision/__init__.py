"""Supervision on the hub: live figures, monitoring and coaching, quality inspection,
reports."""
