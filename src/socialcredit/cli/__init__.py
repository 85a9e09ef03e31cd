"""The ``socialcredit`` command line (Typer command groups, one module each)."""

from socialcredit.cli.app import app, main

__all__ = ["app", "main"]
