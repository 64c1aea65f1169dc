"""Early warning 预警 with graded response (shared/domain.md "Early warning and response").

- `ledger`: raise, escalate and resolve warnings for an as-of date (idempotent), acknowledge and
  close them; the conditions themselves are SQL macros in `pilotdash/sql/warnings.sql`.
- `permissions`: the one check behind acknowledge and close.
- `hooks`: what follows every data change (subscribed to `pilotdash.events` on import).
"""

from . import hooks  # noqa: F401  the warnings follow every data change (pilotdash.events)
