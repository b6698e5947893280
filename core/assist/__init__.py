"""Agent assist on the desktop: quick replies (cache, search, rendering) and suggestions."""
