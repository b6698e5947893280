"""The inbox: open conversations, longest-waiting first."""
