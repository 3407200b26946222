"""Local simulators of shop APIs, used by the demo and the tests."""
