"""Tests of hub.store."""
