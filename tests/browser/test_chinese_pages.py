"""No English on a Chinese page (issue 22 item 7): every page of app.py's PAGES opened in Chinese on
a phone (390×844) and a desktop (1440×900), and every word the reader can see (the DOM's visible
text, the charts' SVG text, the tables' cells as the grid's accessible table holds them, the
placeholders of empty inputs) is read for Latin words. Codes and units are allowed: a word with a
digit in it (P1, PJ-2021-0001, Q3), and the short list below, each with its reason. Streamlit's own
multiselect words ("Select all", "No results") are checked with a sidebar filter opened.

Screenshots of each page go to tests/artifacts/zh-<page>-<width>.png, to be looked at.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.pages import app_pages, page_path

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

# Latin words a Chinese page may show, each with why.
ALLOWED = {
    "SPI": "schedule performance index: the programme's own abbreviation, as in its rules",
    "CPI": "cost performance index: as SPI",
    "BAC": "earned value's budget at completion: the abbreviation the programme's rules define, as SPI",
    "PV": "earned value's planned value: as BAC",
    "EV": "earned value: as BAC",
    "AC": "earned value's actual cost: as BAC",
    "CSV": "a file format, named as the download button names it",
    "Word": "the word processor, as offices name its files (Word 文档) beside Excel and CSV",
    "HTML": "a file format (the report)",
    "PNG": "a file format (a chart's image)",
    "SVG": "a file format (a chart's image)",
    "Excel": "the program offices open a download with",
    "UTC": "a time zone's code, where a time is shown in UTC (those times belong in the programme's zone)",
    "x": "the matching ratio's unit, 1:x (its 1 may be drawn apart from it)",
    "English": "the language switch names English in English, so an English reader finds it",
    "Language": "the language switch's label is bilingual (语言 / Language) for the same reason",
}

# Every visible text on the page, with where it is, read in the page.
_VISIBLE_TEXT_JS = r"""() => {
  const out = [];
  const skip = el => el.closest('style, script, noscript, [data-testid="stIconMaterial"], '
      + '.material-symbols-rounded, [data-testid="stSidebarCollapsedControl"] span[class*="icon"], '
      + '[aria-hidden="true"]:not(svg *)');
  const shown = el => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0'
          || parseFloat(s.fontSize) === 0) return false;
    }
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    // Visually hidden (a screen reader's live region, "32 options available."): not on screen.
    const clipped = /rect\(0(px)?,? 0(px)?,? 0(px)?,? 0(px)?\)/.test(s.clip) || s.clipPath === 'inset(50%)';
    return r.width > 1 && r.height > 1 && !clipped;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim();
    const el = n.parentElement;
    if (!text || !el || skip(el)) continue;
    const inGrid = el.closest('[data-testid="stDataFrame"] table');
    if (inGrid || shown(el)) out.push(text);
  }
  for (const input of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (!input.value && shown(input)) {
      const colour = getComputedStyle(input, '::placeholder').color;
      if (!/rgba\(.*,\s*0\)$/.test(colour)) out.push(input.placeholder);
    }
  }
  return out;
}"""

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


def english_words(texts: list[str], also_allowed: set[str]) -> list[str]:
    """Each Latin word (with the text it stands in) that is not a code, a unit or allowed."""
    found = []
    for text in texts:
        if text.startswith(("http://", "https://")):
            continue  # the share link, shown as a link
        for token in re.split(r"[\s，。：；、（）()“”·/|]+", text):
            if re.search(r"\d", token) or "@" in token:
                continue  # a code (P1, PJ-2021-0001) or an e-mail address
            for word in _WORD.findall(token):
                if len(word) == 1 and word.isupper():
                    continue  # a belt's letter on its map tile, a grade
                if word in ALLOWED or word in also_allowed:
                    continue
                found.append(f"{word!r} in {text[:80]!r}")
    return found


def _user_names() -> set[str]:
    """The single user's own name (the operating system's user, e.g. "root") is data, not words."""
    from pilotdash.people import local_admin

    return {w for w in _WORD.findall(local_admin().name)} | {"local"}  # "local": how its changes are recorded


WIDTHS = {390: 844, 1440: 900}
CASES = [(url, width) for url, _ in app_pages() for width in WIDTHS]


@pytest.mark.parametrize(("url", "width"), CASES, ids=[f"{u}-{w}" for u, w in CASES])
def test_no_english_on_a_chinese_page(new_dash, a_project, url, width):
    dash = new_dash(f"{width}", viewport={"width": width, "height": WIDTHS[width]}, locale="zh-CN",
                    **({"is_mobile": True, "has_touch": True} if width < 640 else {}))
    query = "lang=zh" + (f"&project={a_project}" if url == "project" else "")
    dash.open(f"{page_path(url)}?{query}")
    dash.page.wait_for_timeout(300)  # a phone reports its width, and the page is drawn again
    dash.wait_ready()
    dash.assert_clean()
    dash.charts_drawn()
    if width >= 640:  # the sidebar is open on a desktop: its words count too
        assert dash.page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]').count()
    found = english_words(dash.page.evaluate(_VISIBLE_TEXT_JS), _user_names())
    dash.shot(f"zh-{url}-{width}")
    assert not found, f"English on the Chinese {url} page at {width} px:\n" + "\n".join(sorted(set(found)))


def test_a_filters_own_words_are_chinese(dash):
    """A sidebar filter opened ("全选"), and searched for what it does not hold ("无匹配项")."""
    dash.open("/?lang=zh")
    box = dash.sidebar_multiselect("省份")
    box.locator("input").click()
    listbox = dash.page.locator('[role="listbox"]')
    listbox.wait_for()
    first = dash.page.locator('[role="option"][data-key="__select_all__"] [data-item-hl]')
    word = first.evaluate("e => getComputedStyle(e, '::after').content")
    assert word == '"全选"', word
    assert first.evaluate("e => getComputedStyle(e).fontSize") == "0px", "the English word is not shown"
    box.locator("input").type("zzz")
    empty = dash.page.locator('[role="listbox"][data-empty] [role="option"] > span')
    empty.wait_for()
    assert empty.evaluate("e => getComputedStyle(e, '::after').content") == '"无匹配项"'
    box.locator("input").type("")
    found = english_words(dash.page.evaluate(_VISIBLE_TEXT_JS), _user_names())
    assert not found, found
