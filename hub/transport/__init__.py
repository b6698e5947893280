"""How the hub meets the network: HTTP guard, websocket endpoints, peers, fan-out, rate limits."""
