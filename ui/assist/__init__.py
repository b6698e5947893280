"""Agent assist in the desktop: the "/" quick-reply popup, the settings page, the suggestions."""
