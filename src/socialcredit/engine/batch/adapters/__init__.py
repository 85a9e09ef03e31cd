"""One adapter per engine: what it supports and the SQL that differs."""
