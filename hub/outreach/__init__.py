"""Proactive outreach: triggers that open the widget, agents reaching out, the record."""
