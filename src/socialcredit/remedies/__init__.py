"""Remedies: notices, objections, appeals and credit repair (docs/remedies.md)."""
