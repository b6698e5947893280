"""Shared by tests and benchmarks (and shipped): agent probes, call agent, mail, namespaces."""
