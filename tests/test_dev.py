"""dev.py says where `run` serves the dashboard (Streamlit, headless, does not)."""

import importlib.util

from pilotdash.store import ROOT

spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
dev = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dev)


def test_the_address_run_serves():
    assert dev.served_at([]) == "http://localhost:8501"
    assert dev.served_at(["--server.port", "9000"]) == "http://localhost:9000"
    assert dev.served_at(["--server.port=9001", "--server.address=127.0.0.1"]) == "http://127.0.0.1:9001"
