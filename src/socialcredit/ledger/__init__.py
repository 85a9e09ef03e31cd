"""The ledger: append-only, bitemporal records about subjects, and their storage."""
