"""Use cases that span several packages (the subject report)."""
