"""The customer beside the work: profile, timeline, notes, merges, screen pop, walk-ins."""
