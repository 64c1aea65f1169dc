"""A link opened on a phone always opens its page (issue 22 item 1).

About 3 in 35 phone loads of /phases, /funds or /definitions showed the Overview with the address
rewritten to "/?lang=…". Two causes in the frame, both fixed:
- the width report (`ui.watch_screen`) was drawn before `st.navigation`, and on a phone it asks
  for a rerun as soon as it is mounted; the browser sends that rerun for the page it was last told
  about, which until the navigation message arrives is the app's main script, and st.navigation
  answers that with the home page. app.py now draws the width report after st.navigation;
- on a fresh server process, until some session has called st.navigation, Streamlit takes pages/
  for its old automatic pages and runs /funds on its own, without app.py (no sidebar, no gate);
  `ui.header` now notices and reruns the same page inside the frame.

How often each page is opened, and why not 20 times each: both causes were in the frame, before
any page's own code runs, so every page exposed them alike; what differs between pages is only how
long their run takes. The three pages it was seen on are opened 10 times each, every other page 3
times: about 55 loads, each an independent chance, which at the 3 in 35 seen would all land right
with a probability below 1% (0.914^55). PILOTDASH_PHONE_LOADS=20 opens every page 20 times (about
15 minutes on a busy 2-core machine). Run on its own, this module's first load is a deep link to a
fresh server: the case where Streamlit ran the page without the frame.
"""

from __future__ import annotations

import os

import pytest

from pilotdash.i18n import t
from tests.browser.pages import app_pages, page_path

pytestmark = [pytest.mark.browser, pytest.mark.timeout(1800)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SEEN_RACING = {"phases", "funds", "definitions"}
HOME = app_pages()[0][0]
EVERY = int(os.environ.get("PILOTDASH_PHONE_LOADS", "0"))
CASES = [(url, key, EVERY or (10 if url in SEEN_RACING else 3))
         for url, key in app_pages() if url != HOME]


@pytest.mark.parametrize(("url", "title_key", "loads"), CASES, ids=[c[0] for c in CASES])
def test_a_phone_link_opens_its_page(new_dash, a_project, url, title_key, loads):
    dash = new_dash("phone", **PHONE)
    query = "lang=zh" + (f"&project={a_project}" if url == "project" else "")
    landed = []
    for attempt in range(loads):
        if dash.page is not None:
            dash.page.close()  # a fresh tab: a new session, as a link from a message opens
            dash.page = None
        dash.open(f"{page_path(url)}?{query}")
        # The phone reports its width once the page is up, and the page is drawn again for it:
        # the rerun that used to land on the home page.
        dash.page.wait_for_timeout(300)
        dash.wait_ready(quiet_ms=300)
        title = dash.page.locator('[data-testid="stMain"] h1').first.inner_text(timeout=5_000).strip()
        landed.append((attempt, dash.path(), title))
    wrong = [(n, path, title) for n, path, title in landed
             if path != f"/{url}" or not title.startswith(t(title_key, "zh"))]
    assert not wrong, f"{url}: {len(wrong)} of {loads} phone loads landed elsewhere: {wrong[:5]}"
    dash.assert_clean()
