"""Supervision on the hub: live figures, the supervisor feed, quality inspection, reports."""
