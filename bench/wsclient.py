"""A Streamlit session without a browser: what `bench.load --client ws` opens N of at once.

A browser session costs a Chromium renderer a core's worth of work while a page draws, so on a
2-core machine eight browsers measure the browsers. This client speaks the browser's own protocol
to the server instead, and costs almost nothing:

1. GET the page's URL through nginx, as a browser does: the HTML, the routing cookie (which
   replica) and Streamlit's XSRF cookie;
2. open `<base>/_stcore/stream` with those cookies and the XSRF token in the subprotocol, as
   Streamlit's frontend does;
3. send the frontend's first `rerun_script` (the page's url path as page_name, its query string,
   the browser's context: time zone, locale, URL);
4. read every ForwardMsg until `script_finished` says the run ended successfully.

Page complete is step 1 to step 4. The server does all of its work for a real session: it makes
the session, runs the page script and sends every element, chart spec and table the browser would
draw. First chart here is when the first chart's spec arrived (the browser's drawing time is
`bench.first_chart`'s). An exception element, a `page_not_found`, a compile error or a timeout
is an error.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

XSRF_COOKIE = "_streamlit_xsrf"
CHART_TYPES = {"arrow_vega_lite_chart", "vega_lite_chart"}
FINISHED = ForwardMsg.ScriptFinishedStatus


@dataclass(frozen=True)
class WsTiming:
    complete_s: float  # GET → script finished successfully
    first_chart_s: float | None  # GET → the first chart's spec received; None: no chart
    exception: bool  # an exception element, a page not found or a compile error
    bytes_received: int
    exception_text: str = ""  # the exception's type and message, for the error samples


class WsSession:
    """One visitor: an HTTP client keeping its cookies (so nginx keeps it on one replica), and a
    new websocket session for each page it opens, as a browser's navigation makes."""

    def __init__(self, base: str, locale: str = "en-US", time_zone: str = "Asia/Shanghai"):
        self.base = base.rstrip("/")
        self.locale, self.time_zone = locale, time_zone
        self.http = httpx.AsyncClient(timeout=120, follow_redirects=True)

    async def __aenter__(self) -> WsSession:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.http.aclose()

    async def open(self, path: str, timeout_s: float = 120.0) -> WsTiming:
        """Open `path` (e.g. "/funds?belt=west") and time it to the end of its script run."""
        started = time.monotonic()
        response = await self.http.get(self.base + path)
        response.raise_for_status()
        parts = urlsplit(self.base + path)
        base_path = urlsplit(self.base).path.rstrip("/")
        page = parts.path[len(base_path):].strip("/")
        header = "; ".join(f"{name}={value}" for name, value in self.http.cookies.items())
        xsrf = self.http.cookies.get(XSRF_COOKIE)
        scheme = "wss" if parts.scheme == "https" else "ws"
        stream = f"{scheme}://{parts.netloc}{base_path}/_stcore/stream"
        origin = f"{parts.scheme}://{parts.netloc}"
        first_chart = None
        exception = False
        exception_text = ""
        received = 0
        async with websockets.connect(
                stream, subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],
                additional_headers={"Cookie": header, "Origin": origin},
                max_size=None, open_timeout=timeout_s) as ws:
            back = BackMsg()
            state = back.rerun_script
            state.query_string = parts.query
            state.page_name = page
            state.context_info.timezone = self.time_zone
            state.context_info.locale = self.locale
            state.context_info.url = self.base + path
            await ws.send(back.SerializeToString())
            deadline = started + timeout_s
            while True:
                raw = await asyncio.wait_for(ws.recv(), timeout=max(0.1, deadline - time.monotonic()))
                received += len(raw)
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                kind = msg.WhichOneof("type")
                if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    element = msg.delta.new_element.WhichOneof("type")
                    if element in CHART_TYPES and first_chart is None:
                        first_chart = time.monotonic() - started
                    elif element == "exception":
                        exception = True
                        shown = msg.delta.new_element.exception
                        exception_text = exception_text or f"{shown.type}: {shown.message}"[:300]
                elif kind == "page_not_found":
                    exception = True
                    exception_text = exception_text or "page not found"
                elif kind == "script_finished":
                    status = msg.script_finished
                    if status == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                        exception = True
                    if status in (FINISHED.FINISHED_SUCCESSFULLY, FINISHED.FINISHED_WITH_COMPILE_ERROR):
                        break
        return WsTiming(round(time.monotonic() - started, 3),
                        None if first_chart is None else round(first_chart, 3), exception, received,
                        exception_text)
