"""Email conversations: the thread, safe HTML, the composer, email settings."""
