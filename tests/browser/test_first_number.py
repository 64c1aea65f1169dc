"""The first headline number first (issue 22 item 9; pilotdash/ui/layout.py `let_numbers_show`).

A fresh browser's first view used to get its page in one burst, and Streamlit's browser side kept
the headline numbers hidden until the code of every other element kind in it (charts, tables, the
sidebar's filters) had loaded. Now the session's first run, in a browser, holds the rest of the
page back for `NUMBERS_ALONE_S` once the numbers are sent. What is checked is the server's side of
it, which a loaded machine only stretches: when the websocket frames arrive in the browser. How
much sooner the number is then shown is the benchmark's (bench/first_number.py), not a test's.
"""

from __future__ import annotations

import time

import pytest

from pilotdash.i18n import t
from pilotdash.measures import HEADLINES, MEASURES
from pilotdash.ui.layout import NUMBERS_ALONE_S

pytestmark = pytest.mark.browser


def _frames(dash) -> list[tuple[float, bytes]]:
    """Every websocket frame the page receives from now on, with when it arrived."""
    frames: list[tuple[float, bytes]] = []

    def on_socket(socket) -> None:
        socket.on("framereceived", lambda payload: frames.append(
            (time.monotonic(), payload if isinstance(payload, bytes) else payload.encode("utf-8"))))

    dash.page = dash.context.new_page()
    dash.page.on("websocket", on_socket)
    return frames


def _gap(frames: list[tuple[float, bytes]], last_number: str) -> float:
    """Seconds from the frame with the last headline number (its label) to the next frame."""
    label = last_number.encode("utf-8")
    at = next(i for i, (_, payload) in enumerate(frames) if label in payload)
    return frames[at + 1][0] - frames[at][0]


@pytest.mark.parametrize("page", ["overview", "funds"])
def test_a_fresh_browser_gets_the_headline_numbers_before_the_rest_of_the_page(dash, page):
    frames = _frames(dash)
    dash.open(("/" if page == "overview" else f"/{page}") + "?lang=en")
    dash.assert_clean()
    last = t(MEASURES[HEADLINES[page][-1][-1]].label, "en")
    assert last in dash.metrics()  # the numbers were drawn, the last of them too
    assert dash.charts_drawn() > 0  # and the rest of the page after them
    # The rest waited for them. Half the wait, not all of it: the server sleeps from when the
    # numbers are queued, and on a loaded machine their frame leaves later than that (the fresh-
    # clone CI saw 0.40 s of the 0.5 s). Without the wait the next frame follows in microseconds.
    assert _gap(frames, last) >= NUMBERS_ALONE_S * 0.5
