"""Supervision on the hub: live figures (metrics), the supervisor feed, drill-down."""
