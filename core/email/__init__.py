"""Email for the agent: cached threads, composing, safe HTML, the hub's email HTTP endpoints."""
