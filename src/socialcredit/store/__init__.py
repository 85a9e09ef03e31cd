"""The store: the database engine, every table, migrations, bulk statements and the hash
chain every write appends to (docs/architecture.md)."""
