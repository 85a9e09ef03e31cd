"""socialcredit: a credit-based supervision platform."""

__version__ = "0.1.0"
