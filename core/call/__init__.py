"""The call engine (Qt-free): signalling state, media session, media thread, audio."""
