"""Follow-ups (工单) on the desktop: the owner's list, the dialog that makes one, reminders."""
