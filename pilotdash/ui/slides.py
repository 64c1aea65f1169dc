"""Presentation mode as slides (`?present=1&slide=N`): the Streamlit glue for `pilotdash.slides`.

While presenting, app.py runs the page inside `presenting_page`: the page draws as always, but
off stage (hidden), while `ui.chart` and `ui.metric` hand their charts and numbers here. The
slide itself is one screen: a slim title line (page, chart, filters; previous / next and the way
out), the link's notices, the page's key numbers, and the page's Nth chart, sized for 1920×1080
with every word at least 18 px. Arrow keys and PageUp / PageDown press previous / next (a small
script in the page, no external file), within the page and on across the presentation's pages.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
from collections.abc import Iterator, Sequence

import streamlit as st

from .. import charts
from .. import slides as plan
from ..filters import Notice
from ..measures import MEASURES
from .data import as_of
from .state import _NOTICES, presenting, set_view, state, tr
from .text import plain

_DECK = "_slide_deck"

# The chart's whole box (axes, legend and all) on a 1080 px screen, under the title line (~60 px),
# the line saying who is signed in (~40 px) and the key numbers (~190 px in belt cards); each
# notice above it (a scope, a bad link) takes its own height off.
CHART_HEIGHT = 680
NOTICE_HEIGHT = 90

# Hides the sidebar, Streamlit's chrome and the page as drawn off stage; sets projector-sized
# type (the interface is sized in rem, so the root size scales it). No external URL.
SLIDE_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarCollapseButton"], header[data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"], [data-testid="stAppDeployButton"],
[data-testid="stMainMenu"], footer, .st-key-pd_offstage, .st-key-pd_slide_keys { display: none !important; }
html { font-size: 20px; }
[data-testid="stMainBlockContainer"] { padding: 0.6rem 1.6rem 0.4rem; max-width: 100%; }
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: 1rem; }
[data-testid="stMain"] [data-testid="stMetricValue"] { font-size: 2.2rem; }
.pd-slide-title { font-size: 1.35rem; font-weight: 600; color: #0b3d62; line-height: 1.3; }
.pd-slide-title .pd-slide-filters { font-size: 1rem; font-weight: 400; color: #333333; }
.pd-slide-group { font-size: 1rem; font-weight: 600; color: #0b3d62; }
</style>"""

# Arrow keys and PageUp / PageDown press the slide's previous / next control. Installed once per
# browser tab (a rerun or the next slide re-sends it): the listener looks the controls up when a
# key is pressed, so it always finds the current slide's, and does nothing outside presentation.
KEYS_JS = """<script>
(() => {
  if (window.__pdSlideKeys) return;
  window.__pdSlideKeys = true;
  const keys = {ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev"};
  document.addEventListener("keydown", (event) => {
    const which = keys[event.key];
    if (!which || event.repeat || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const at = event.target;
    if (at && (at.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(at.tagName))) return;
    const control = [...document.querySelectorAll(`.st-key-pd_slide_${which} :is(a, button)`)]
      .find(e => e.offsetParent !== null);  // a link with help is drawn twice, one of them hidden
    if (!control) return;
    event.preventDefault();
    control.click();
  });
})();
</script>"""


@dataclasses.dataclass(frozen=True)
class SlidePage:
    """A page of the presentation: its url path, file (for a link to it) and title."""

    url: str
    file: str
    title: str


@dataclasses.dataclass
class Deck:
    """This run's slide: where its parts go, and what the page has handed over so far."""

    page: SlidePage
    pages: tuple[SlidePage, ...]
    value: str | None  # the URL's slide parameter
    keep: dict[str, str]  # the parameters every link to another slide carries
    top: object
    notes: object
    numbers: object
    stage: object
    charts: int = 0
    notices: int = 0
    seen: list[plan.Number] = dataclasses.field(default_factory=list)
    last: tuple | None = None  # the page's latest chart, for "last" or a slide past the end
    chart_title: str | None = None

    @property
    def asked(self) -> int | None:
        return plan.wanted(self.value)


def _deck() -> Deck | None:
    return st.session_state.get(_DECK) if presenting() else None


@contextlib.contextmanager
def presenting_page(page: SlidePage, pages: Sequence[SlidePage], keep: dict[str, str]) -> Iterator[None]:
    """Run the page (the `with` body) as one slide of the presentation through `pages`."""
    st.html(SLIDE_CSS)
    deck = Deck(page=page, pages=tuple(pages), value=state().extra("slide"), keep=keep,
                top=st.container(key="pd_slide_top", horizontal=True, vertical_alignment="center",
                                 gap="small"),
                notes=st.container(key="pd_slide_notes", gap="small"),
                numbers=st.container(key="pd_slide_numbers", horizontal=True, gap="small"),
                stage=st.container(key="pd_slide_stage"))
    st.session_state[_DECK] = deck
    with st.container(key="pd_offstage"):
        yield
    _finish(deck)


def chart(altair_chart, name: str, title: str | None = None, **altair_kwargs: object) -> object:
    """`ui.chart` while presenting: the page's Nth chart is slide N's, drawn on the stage at
    slide size; the others are not drawn at all. Returns st.altair_chart's result, or None."""
    deck = _deck()
    if deck is None:  # a page run without the presentation frame: the chart where it stands
        return st.altair_chart(charts.for_slide(altair_chart, CHART_HEIGHT), width="stretch", **altair_kwargs)
    deck.charts += 1
    deck.last = (altair_chart, title or name, altair_kwargs)
    if deck.asked == deck.charts:
        return _draw(deck, altair_chart, title or name, altair_kwargs)
    return None


def _draw(deck: Deck, altair_chart, title: str, altair_kwargs: dict) -> object:
    deck.chart_title = title
    height = CHART_HEIGHT - NOTICE_HEIGHT * deck.notices
    return deck.stage.altair_chart(charts.for_slide(altair_chart, height), width="stretch", **altair_kwargs)


_MEASURE_LABELS = "_slide_measure_labels"


def number(column, label_text: str, value: object, delta: str | None, *, group: str = "",
           **metric_kwargs: object) -> bool:
    """`ui.metric` while presenting: the number is handed to the slide, which shows the page's
    key numbers (`pilotdash.slides.key_numbers`) once the page has run. False when not
    presenting (the caller draws it)."""
    deck = _deck()
    if deck is None:
        return False
    measures = {tr(m.label) for m in MEASURES.values()}
    row = getattr(column, "_parent", None) or column  # the st.columns row the page drew it in
    deck.seen.append(plan.Number(label_text, str(value), delta, group, row=row, measure=label_text in measures,
                                 options=tuple(metric_kwargs.items())))
    return True


@contextlib.contextmanager
def notes(boxes: int = 0) -> Iterator[None]:
    """Draw the `with` body under the slide's title line (who is signed in, the scope), `boxes`
    of it notice boxes whose height the chart gives up."""
    deck = _deck()
    if deck is None:
        yield
        return
    with deck.notes:
        yield
    deck.notices += boxes


def notices() -> None:
    """The link's notices (a bad parameter dropped) on the slide, where they can be seen."""
    deck = _deck()
    current = state()
    for notice in st.session_state.pop(_NOTICES, []):
        text = notice.markdown(current.lang) if isinstance(notice, Notice) else plain(notice)
        (deck.notes if deck else st).warning(text, icon=":material/link_off:")
        if deck:
            deck.notices += 1


def _finish(deck: Deck) -> None:
    """After the page ran: the slide it asked for (or the last), its key numbers, its title line."""
    shown = plan.resolve(deck.value, deck.charts)
    if shown.missing:
        deck.notes.warning(tr("slides.missing", n=shown.missing, total=shown.total),
                           icon=":material/link_off:")
        deck.notices += 1
    if deck.charts and deck.asked != shown.slide:
        chart_, title, kwargs = deck.last
        _draw(deck, chart_, title, kwargs)
    if plan.url_value(shown.slide) != deck.value:
        set_view(slide=plan.url_value(shown.slide))  # the URL names the slide shown
    numbers = plan.key_numbers(deck.seen)
    groups = plan.by_group(numbers)
    for group, row in groups:
        if len(groups) == 1 and group in ("", deck.page.title):  # Warnings' own counts: no heading needed
            for n in row:
                deck.numbers.metric(n.label, n.value, n.delta, border=True, **dict(n.options))
            continue
        with deck.numbers.container(border=True, gap="small"):
            st.html(f'<div class="pd-slide-group">{html.escape(group)}</div>')
            with st.container(horizontal=True, gap="small"):
                for n in row:
                    st.metric(n.label, n.value, n.delta, **dict(n.options))
    if not deck.charts and not numbers:
        deck.stage.info(tr("slides.empty"), icon=":material/slideshow:")
    _title_line(deck, shown)
    st.session_state.pop(_DECK, None)


def _title_line(deck: Deck, shown: plan.Shown) -> None:
    view = state()
    heading = html.escape(deck.page.title + (f" · {deck.chart_title}" if deck.chart_title else ""))
    filters = html.escape(view.describe(view.lang, as_of(view)))
    before, after = plan.neighbours([p.url for p in deck.pages], deck.page.url, shown)
    with deck.top:
        st.html(f'<div class="pd-slide-title">{heading} <span class="pd-slide-filters">· {filters}</span>'
                "</div>", width="stretch")
        _control(deck, "prev", before, ":material/arrow_back:")
        st.caption(tr("slides.counter", n=shown.slide, total=shown.total), width="content")
        _control(deck, "next", after, ":material/arrow_forward:")
        st.button(tr("meetings.leave"), key="present_off", icon=":material/close_fullscreen:",
                  on_click=set_view, kwargs={"present": None, "slide": None})
        with st.container(key="pd_slide_keys", width="content"):
            st.html(KEYS_JS, unsafe_allow_javascript=True)


def _control(deck: Deck, which: str, step: plan.Step | None, icon: str) -> None:
    """Previous or next: a button within the page (a link to the same page would leave the
    address bar as it is), a link to another page."""
    if step is None:
        return
    with st.container(key=f"pd_slide_{which}", width="content"):
        if step.same_page(deck.page.url):
            st.button(tr(f"slides.{which}"), key=f"pd_slide_{which}_button", icon=icon,
                      help=tr("slides.keys"), on_click=set_view, kwargs={"slide": step.slide})
        else:
            target = next(p for p in deck.pages if p.url == step.page)
            params = dict(deck.keep, **({"slide": step.slide} if step.slide else {}))
            st.page_link(target.file, label=tr(f"slides.{which}_page", page=target.title), icon=icon,
                         query_params=params, help=tr("slides.keys"))

