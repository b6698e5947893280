"""Customer feedback: CSAT ratings, NPS answers, signed email rating links, figures."""
