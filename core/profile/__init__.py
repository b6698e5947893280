"""Customers: profiles, timelines, notes, merges, store mode's directory, profile edits."""
