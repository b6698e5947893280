"""The local cache: the SQLite file, its schema and migrations, queries, full-text search."""
