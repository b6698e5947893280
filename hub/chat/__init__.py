"""Chat on the hub: conversations and messages, and the events they produce."""
