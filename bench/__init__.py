"""Benchmarks: each prints a table; see bench/README.md. Never timed assertions in tests."""
