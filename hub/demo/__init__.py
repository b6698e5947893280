"""Demo data and load: the seeded demo center, a large data set, simulated customers."""
