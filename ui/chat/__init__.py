"""A chat conversation's tab: header, message list and composer."""
