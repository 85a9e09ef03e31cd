"""Outcome monitoring: how outcomes fall across groups, for fairness reports only.

Nothing that decides (engine, enforcement, policy, remedies, ledger) imports
this package; tests/test_scope_guard.py holds that.
"""
