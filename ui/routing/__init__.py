"""Routing in the window: offers, presence, queues, SLA countdowns, transfer and wrap-up."""
