"""Roles and permissions, the one check every frame and endpoint passes, the audit log."""
