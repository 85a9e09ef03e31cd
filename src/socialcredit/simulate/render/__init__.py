"""Turning numeric event rows into record strings (document numbers, attributes, lines)."""
