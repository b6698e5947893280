"""Zuoxi benchmarks: `./dev bench` (or `zuoxi-bench`). Results go to bench/results/."""
