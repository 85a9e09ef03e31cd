"""Builders shared by the test modules: records, packs, ledgers, stores and hostile packs."""
