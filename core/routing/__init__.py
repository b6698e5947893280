"""Routing for the agent: offers, transfers, picking, dispositions, SLA and queue figures."""
