"""An agent's signed-in session: sign-in, the service the views use, change notices."""
