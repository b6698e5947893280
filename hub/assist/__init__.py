"""Agent assist: sentiment and escalation, the knowledge base, quick replies and suggestions."""
