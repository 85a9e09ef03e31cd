"""Enforcement: red and black lists, the measures they trigger, and the check."""
