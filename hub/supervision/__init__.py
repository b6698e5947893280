"""Supervision on the hub: live figures, the supervisor feed, monitoring and coaching,
quality inspection."""
