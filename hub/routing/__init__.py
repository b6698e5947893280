"""Routing: queues, priority, offers, presence and absence, service levels, their storage."""
