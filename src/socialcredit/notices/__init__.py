"""Notices: what changed for a subject, composed, stored, swept and delivered (docs/remedies.md)."""
