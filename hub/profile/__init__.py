"""Customer profiles on the hub: identity, records, tags, visibility, merges, commands."""
