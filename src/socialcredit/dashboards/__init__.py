"""Dashboards for oversight: aggregate figures of the store, each with its chart."""
