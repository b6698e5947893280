"""The customer web widget on the hub: its page, its topics, what a returning widget missed."""
