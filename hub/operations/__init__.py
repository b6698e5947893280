"""Operating the hub: readiness, Prometheus metrics and JSON log lines."""
