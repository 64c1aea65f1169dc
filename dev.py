#!/usr/bin/env python3
"""The two set-up commands, for a fresh machine with only Python 3.11:

    python3 dev.py run     # the dashboard on the bundled demo data, at http://localhost:8501
    python3 dev.py test    # the whole test suite, browser tests included

and, for a hosted host (README "Hosting"):

    python3 dev.py serve --replicas 2   # PostgreSQL + lake, N app processes, nginx in front

All create `.venv` and install the pinned requirements the first time (and again whenever a
requirements file changes). `test` also installs Debian's Chromium and a CJK font for the
browser tests, and nginx and PostgreSQL for the hosting tests, when they are missing (apt-get;
root on the CI machine). `serve` installs nginx and PostgreSQL the same way. Extra arguments go to
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
NGINX = Path("/usr/sbin/nginx")
POSTGRES_DIR = Path("/usr/lib/postgresql")


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


def _postgres_installed() -> bool:
    return any(POSTGRES_DIR.glob("*/bin/initdb"))


def ensure_debian(*packages: tuple[str, bool], why: str) -> None:
    """apt-get install the (package, present) pairs not present yet. RUNLEVEL=1: the packages'
    own services (nginx on port 80, a system PostgreSQL cluster) are not started; we run our own."""
    missing = [name for name, present in packages if not present]
    if not missing:
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        print(f"warning: {', '.join(missing)} missing and cannot be installed here; {why}")
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive", "RUNLEVEL": "1"}
    sh("apt-get", "update", "-qq", env=env)
    sh("apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=env)


def ensure_browser() -> None:
    """Chromium and a CJK font from Debian: Playwright's own browser download fails here. nginx
    and PostgreSQL for the hosting tests (tests/hosting) likewise."""
    ensure_debian(("chromium", CHROMIUM.exists()), ("fonts-wqy-microhei", CJK_FONT_DIR.exists()),
                  ("nginx", NGINX.exists()), ("postgresql", _postgres_installed()),
                  why="browser and hosting tests will skip")


def served_at(extra: list[str]) -> str:
    """The address `streamlit run` with these options serves (its defaults: localhost, 8501);
    headless, Streamlit itself does not say it."""
    options = {"--server.port": "8501", "--server.address": "localhost"}
    for i, arg in enumerate(extra):
        name, sep, value = arg.partition("=")
        if name in options:
            options[name] = value if sep else (extra[i + 1] if i + 1 < len(extra) else options[name])
    return f"http://{options['--server.address']}:{options['--server.port']}"


def run(extra: list[str]) -> None:
    ensure_venv("requirements.txt")
    print(f"The dashboard: {served_at(extra)}  (Ctrl+C stops it)", flush=True)
    os.execv(PY, [str(PY), "-m", "streamlit", "run", str(ROOT / "app.py"), *extra])


def workers(extra: list[str]) -> list[str]:
    """Run the suite on every core (at most 4) with pytest-xdist, unless told otherwise (`-n 0`:
    serially). Each worker that gets browser tests starts its own server on its own store."""
    if any(a.startswith(("-n", "--numprocesses", "--dist")) or a == "-p" for a in extra):
        return []
    return ["-n", str(min(os.cpu_count() or 1, 4)), "--dist", "loadfile"]


def test(extra: list[str]) -> None:
    ensure_venv("requirements.txt", "requirements-dev.txt")
    ensure_browser()
    os.chdir(ROOT)
    os.execv(PY, [str(PY), "-m", "pytest", *workers(extra), *extra])


def serve(extra: list[str]) -> None:
    """The hosted set-up on this machine (see pilotdash/hosting/serve.py): PostgreSQL when the
    catalog is local, the lake, N Streamlit replicas and nginx; Ctrl-C stops them all."""
    ensure_venv("requirements.txt")
    local_catalog = not os.environ.get("PILOTDASH_STORE", "").startswith("ducklake:") and "--embedded" not in extra
    ensure_debian(("nginx", NGINX.exists()), ("postgresql", _postgres_installed() or not local_catalog),
                  why="serve needs them")
    os.chdir(ROOT)
    os.execv(PY, [str(PY), "-m", "pilotdash.hosting.serve", *extra])


def main() -> None:
    commands = {"run": run, "test": test, "serve": serve}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
