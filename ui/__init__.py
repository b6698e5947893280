"""Qt widgets of the agent desktop. They show what core owns and turn input into intents."""
