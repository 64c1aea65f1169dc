"""Shared pieces of the benchmark: scale data, timing, machine facts, child processes."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA = BENCH / "data"
RESULTS = BENCH / "results"
PYTHON = sys.executable


def scale_dir(scale: int) -> Path:
    return DATA / f"scale{scale}"


def store_path(scale: int) -> Path:
    return scale_dir(scale) / "store.duckdb"


def generator_digest() -> str:
    text = (ROOT / "pilotdash" / "demo.py").read_bytes()
    return hashlib.sha256(text).hexdigest()[:12]


def ensure_scale(scale: int, regenerate: bool = False, log: Callable[[str], None] = print) -> dict:
    """The scale's CSVs (demo generator) and store, made once and reused; returns row counts."""
    from pilotdash import store as store_mod
    import pilotdash.warnings  # noqa: F401  subscribed: the build raises the warnings and scores the rounds, as the app's
    from pilotdash.demo import generate

    d = scale_dir(scale)
    stamp = d / "stamp.json"
    if regenerate or not stamp.exists() or not store_path(scale).exists():
        d.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        log(f"  generating scale {scale} demo data in {d}/csv …")
        counts = generate(d / "csv", scale=scale)
        t1 = time.perf_counter()
        log(f"  building {store_path(scale)} …")
        store_path(scale).unlink(missing_ok=True)
        store_mod.build(store_path(scale), d / "csv")
        t2 = time.perf_counter()
        stamp.write_text(json.dumps({
            "scale": scale, "rows": counts, "generator_sha": generator_digest(),
            "generate_s": round(t1 - t0, 2), "build_s": round(t2 - t1, 2), "followed": True,
        }, indent=2))
    info = json.loads(stamp.read_text())
    if not info.get("followed"):
        _follow_build(store_path(scale), log)
        info["followed"] = True
        stamp.write_text(json.dumps(info, indent=2))
    if info.get("generator_sha") != generator_digest():
        info["note"] = "demo.py changed since this data was generated (run with --regenerate to refresh)"
    return info


def _follow_build(path: Path, log: Callable[[str], None]) -> None:
    """A store built without what follows a build (before the benchmark subscribed the warnings):
    its warnings raised and its rounds scored once now, as the app's build does, so that a timed
    upload's hook changes the ledger and the scores by what the upload changed, as in the app."""
    from pilotdash import events
    from pilotdash.store import Store
    from pilotdash.warnings import hooks  # noqa: F401  subscribes the scores and the warnings

    log(f"  raising the warnings and scoring the rounds of {path} once (built without them) …")
    store = Store(path)
    try:
        events.data_changed(store, deliver=False)
    finally:
        store.close()


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM), in MB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def machine() -> dict:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    import duckdb
    import pandas
    import streamlit

    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory": mem, "os": platform.platform(),
        "python": platform.python_version(), "duckdb": duckdb.__version__,
        "streamlit": streamlit.__version__, "pandas": pandas.__version__,
    }


def child(module: str, args: list[str], log: Callable[[str], None] = print) -> dict:
    """Run `python -m bench.<module> ARGS --out FILE` in a fresh process; its JSON result."""
    out = DATA / f"_{module}_{os.getpid()}.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [PYTHON, "-m", f"bench.{module}", *args, "--out", str(out)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env)
    if proc.returncode != 0 or not out.exists():
        log(f"  !! bench.{module} {' '.join(args)} failed (exit {proc.returncode})")
        return {"error": f"exit {proc.returncode}"}
    try:
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def write_json(path: str | Path, data: object) -> None:
    Path(path).write_text(json.dumps(data, indent=2, default=str, ensure_ascii=False))
