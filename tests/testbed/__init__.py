"""Tests of the test bed's own tools."""
