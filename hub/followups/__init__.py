"""Follow-ups (工单), their reminders, and messages left when nobody is available."""
