"""The weekly feedback report, historical reports and the retention of stored data."""
