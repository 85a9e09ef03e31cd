"""Reproducible benchmarks; results in benchmarks/RESULTS.md."""
