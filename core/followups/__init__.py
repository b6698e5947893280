"""Follow-ups (工单) on the desktop: the owner's list in the cache and the intents."""
