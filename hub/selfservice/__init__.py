"""The self-service bot: widget chats answered from the knowledge base first."""
