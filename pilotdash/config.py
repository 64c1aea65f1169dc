"""The one configuration reader: the dashboard's settings file and its environment variables.

The file is `.streamlit/secrets.toml` beside the app (Streamlit's sign-in reads its `[auth]`
section from there too), or the file PILOTDASH_CONFIG names. Read with tomllib, never through
Streamlit, so the CLI, the mail delivery, the policy and the pages read the same values.

    [auth]          # sign-in (OIDC); absent: single-user mode
    [pilotdash]
    first_admin = "boss@example.cn"      # or PILOTDASH_FIRST_ADMIN
    national_submit_without_review = false
    base_url = "https://dash.example.cn/pilot"
    [pilotdash.smtp]
    host = "smtp.example.cn"

Read on every call (a small file): a changed setting holds from the next page run on, as
Streamlit's own reading of the file does.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def path() -> Path:
    return Path(os.environ.get("PILOTDASH_CONFIG") or ROOT / ".streamlit" / "secrets.toml")


def settings(source: Path | str | None = None) -> dict:
    """The whole file as a dict; {} when there is none."""
    try:
        return tomllib.loads(Path(source or path()).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def section(name: str, source: Path | str | None = None) -> dict:
    """One section (`auth`, `pilotdash`), {} when absent."""
    return dict(settings(source).get(name) or {})


def auth_configured() -> bool:
    """Sign-in is on when the file has an `[auth]` section; otherwise single-user mode."""
    return bool(section("auth"))


def value(name: str, env: str | None = None, default: object = None) -> object:
    """`[pilotdash] name`, else the environment variable `env`, else `default`."""
    configured = section("pilotdash").get(name)
    if configured is None and env:
        configured = os.environ.get(env)
    return default if configured is None else configured


def cli_lang() -> str:
    """The language of the command line's own lines (messages, refusals): PILOTDASH_LANG, "en"
    or "zh"; anything else, or nothing, is English."""
    chosen = os.environ.get("PILOTDASH_LANG", "en")
    return chosen if chosen in ("en", "zh") else "en"
