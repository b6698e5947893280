"""Fuzzing harnesses (hypothesis) for every decoder that faces the outside."""
