"""Shared test setup: hypothesis profiles. Oracles live in tests/oracles.py; the import path (the repo root, tests/,
tests/browser/) is set by pyproject.toml's [tool.pytest.ini_options] pythonpath."""

import os

from hypothesis import settings

settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
