"""Remedies: objections, appeals and credit repair, as cases of ledger records
(docs/remedies.md)."""
