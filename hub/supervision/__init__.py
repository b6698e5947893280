"""Supervision on the hub: quality inspection (and, beside it, reports and live metrics)."""
