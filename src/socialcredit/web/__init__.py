"""The HTTP interface: a JSON API for relying parties (and, later, pages)."""
