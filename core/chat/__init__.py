"""Chat messages in the cache: storing them, delivery status and receipts."""
