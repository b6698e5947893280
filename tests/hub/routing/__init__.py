"""Tests of hub.routing."""
