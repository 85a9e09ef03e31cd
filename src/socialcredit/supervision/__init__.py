"""Supervision analytics: judges, officials, local governments and data providers.

Every output here is information and a review task, never a punishment: the safeguards
lint refuses a list or measure triggered by any of them.
"""
