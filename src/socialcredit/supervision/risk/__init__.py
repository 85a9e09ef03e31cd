"""The predictive risk scorecard: a subject's risk of a serious default, from their own
history, with the reasons a person can read (docs/architecture.md, "supervision/")."""
