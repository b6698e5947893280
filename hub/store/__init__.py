"""The hub's storage: engine, schema and migrations, event log, agents, the composed store."""
