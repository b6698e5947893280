"""Synchronisation with the hub: the sans-I/O session and its asyncio client."""
