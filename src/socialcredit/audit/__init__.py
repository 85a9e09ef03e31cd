"""The audit chain: every write appends a hash-chained entry anyone can verify."""
