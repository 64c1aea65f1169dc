"""A person's scope: which pilots they see (issue 12, domain "Organisation and access").

national: every pilot; provinces: the pilots of these province codes; projects: these pilots.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("national", "provinces", "projects")
_DESCRIBE = {
    "national": "scope.describe.national",
    "provinces": "scope.describe.provinces",
    "projects": "scope.describe.projects",
}


@dataclass(frozen=True)
class Scope:
    kind: str  # "national" | "provinces" | "projects"
    codes: tuple[str, ...] = ()  # province codes ("11", "51") or project ids

    @classmethod
    def national(cls) -> Scope:
        return cls("national")

    def describe(self, lang: str) -> str:
        """ "national" / "provinces 11, 51" in the reader's language."""
        from .i18n import t

        return t(_DESCRIBE[self.kind], lang, codes=", ".join(self.codes))


def bind(cur, scope: Scope | None) -> None:
    """Until the scope filter (branch "scope") is merged: what the store did before this module
    existed, so that its reads keep working: no scope or the national one reads everything, and a
    narrower scope is refused rather than ignored. The "scope" branch's own module replaces this."""
    if scope is None or scope.kind == "national":
        return
    from .store import StoreError

    raise StoreError("a scope was given but the scope filter is not installed")
