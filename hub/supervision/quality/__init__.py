"""Quality inspection (质检): the rules file, scoring closed conversations, review, appeal."""
