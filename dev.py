#!/usr/bin/env python3
"""The two set-up commands, for a fresh machine with only Python 3.11:

    python3 dev.py run     # the dashboard on the bundled demo data, at http://localhost:8501
    python3 dev.py test    # the whole test suite, browser tests included

Both create `.venv` and install the pinned requirements the first time (and again whenever a
requirements file changes). `test` also installs Debian's Chromium and a CJK font for the
browser tests when they are missing (apt-get; root on the CI machine). Extra arguments go to
streamlit or pytest, e.g. `python3 dev.py test -k measures`; the tests run on up to four cores
(pytest-xdist), `python3 dev.py test -n 0` runs them one after another.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"
CHROMIUM = Path("/usr/bin/chromium")
CJK_FONT_DIR = Path("/usr/share/fonts/truetype/wqy")


def sh(*cmd: str | Path, **kw) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def ensure_venv(*requirement_files: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed, this is {sys.version.split()[0]}")
    if not PY.exists():
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256(b"".join((ROOT / f).read_bytes() for f in requirement_files)).hexdigest()
    stamp = VENV / f".installed-{'-'.join(Path(f).stem for f in requirement_files)}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    args = [a for f in requirement_files for a in ("-r", str(ROOT / f))]
    sh(PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", *args)
    stamp.write_text(digest)


def ensure_browser() -> None:
    """Chromium and a CJK font from Debian: Playwright's own browser download fails here."""
    missing = [p for p, path in (("chromium", CHROMIUM), ("fonts-wqy-microhei", CJK_FONT_DIR)) if not path.exists()]
    if not missing:
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        print(f"warning: {', '.join(missing)} missing and cannot be installed here; browser tests will skip")
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sh("apt-get", "update", "-qq", env=env)
    sh("apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=env)


def run(extra: list[str]) -> None:
    ensure_venv("requirements.txt")
    os.execv(PY, [str(PY), "-m", "streamlit", "run", str(ROOT / "app.py"), *extra])


def workers(extra: list[str]) -> list[str]:
    """Run the suite on every core (at most 4) with pytest-xdist, unless told otherwise (`-n 0`:
    serially). Each worker that gets browser tests starts its own server on its own store."""
    if any(a.startswith(("-n", "--numprocesses", "--dist")) or a == "-p" for a in extra):
        return []
    return ["-n", str(min(os.cpu_count() or 1, 4))]


def test(extra: list[str]) -> None:
    ensure_venv("requirements.txt", "requirements-dev.txt")
    ensure_browser()
    os.chdir(ROOT)
    os.execv(PY, [str(PY), "-m", "pytest", *workers(extra), *extra])


def main() -> None:
    commands = {"run": run, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
