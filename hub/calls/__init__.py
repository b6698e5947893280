"""Voice calls on the hub: signalling relay and call records (no media)."""
