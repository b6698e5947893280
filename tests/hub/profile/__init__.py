"""Tests of hub.profile."""
