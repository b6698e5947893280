"""Proactive outreach on the desktop: reaching out to a customer from the profile panel."""
