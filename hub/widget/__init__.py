"""The customer web widget on the hub: its page and the topics it offers."""
