"""Early warning 预警 with graded response (shared/domain.md "Early warning and response").

- `ledger`: raise, escalate and resolve warnings for an as-of date (idempotent), acknowledge and
  close them; the conditions themselves are SQL macros in `pilotdash/sql/warnings.sql`.
- `subscriptions`: who is told, each subscription its owner's and limited to the owner's scope at
  every delivery (who may acknowledge, close or subscribe is pilotdash/policy.py's).
- `hooks`: what follows every data change (subscribed to `pilotdash.events` on import).
"""

from . import hooks  # noqa: F401  the warnings follow every data change (pilotdash.events)
