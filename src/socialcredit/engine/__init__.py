"""Evaluation: records and policy in, assessments out (see docs/engine.md)."""
