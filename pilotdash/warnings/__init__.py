"""Early warning 预警 with graded response (shared/domain.md "Early warning and response").

- `ledger`: raise, escalate and resolve warnings for an as-of date (idempotent), acknowledge and
  close them; the conditions themselves are SQL macros in `pilotdash/sql/warnings.sql`.
- `permissions`: the one check behind acknowledge and close.
- `hooks`: what runs after every applied upload and rollback.
"""
