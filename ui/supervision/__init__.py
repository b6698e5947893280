"""Supervisor views: escalation alerts."""
