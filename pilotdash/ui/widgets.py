"""Widgets that hold part of the view: the sidebar's filters, the URL page chooser, the
file uploader in the page's language, and `bound`, which ties a page's own widget to its URL
parameter."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from ..filters import FILTER_ENUM, FILTERS, city_name, param_word, province_name
from ..i18n import LANGS, label, t
from .data import as_of, default_as_of, options
from .state import lang, nav_params, reset_filters, set_view, state, tr, write_url
from .styles import UPLOADER_CSS
from .text import plain


def _widget_key(field: str) -> str:
    return f"w_{field}"


def _on_widget(field: str) -> None:
    value = st.session_state[_widget_key(field)]
    current = state()
    if field == "lang":
        write_url(current.replace(lang=value))
    elif field == "as_of":
        write_url(current.replace(as_of=None if value == default_as_of() else value))
    elif field == "belt":
        belts = tuple(value)
        provinces = options().for_field("province", belts)
        kept = tuple(p for p in current.get("province") if p in provinces)
        cities = options().for_field("city", belts)
        write_url(current.replace(belt=belts, province=kept,
                                  city=tuple(c for c in current.get("city") if c in cities)))
    else:
        write_url(current.replace(**{field: tuple(value)}))


def _format(field: str) -> Callable[[str], str]:
    language = lang()
    if field in FILTER_ENUM:
        return lambda code: label(FILTER_ENUM[field], code, language)
    if field == "province":
        return lambda code: province_name(code, language)
    if field == "city":
        return lambda code: city_name(code, language)
    return str


def sidebar(sections: Sequence[tuple[str, Sequence[tuple[st.Page, str]]]]) -> None:
    """Language, page links carrying the filters in their sections (title, [(page, icon)]; a
    section without a title is drawn without a heading), and the filters themselves."""
    current = state()
    language = current.lang
    with st.sidebar:
        st.session_state[_widget_key("lang")] = language
        st.segmented_control(
            t("sidebar.language", language), LANGS, key=_widget_key("lang"),
            format_func=lambda code: {"zh": "中文", "en": "English"}[code],
            on_change=_on_widget, args=("lang",), selection_mode="single",
        )
        params = nav_params()
        for number, (title, pages) in enumerate(sections):
            with st.container(key=f"pd_nav_section_{number}", gap=None):
                if title:
                    st.caption(title)
                for page, icon in pages:
                    st.page_link(page, label=page.title, icon=icon, query_params=params)
        st.divider()
        st.subheader(t("sidebar.filters", language))
        opts = options()
        for field in FILTERS:
            choices = opts.for_field(field, current.get("belt"))
            key = _widget_key(field)
            st.session_state[key] = [v for v in current.get(field) if v in choices]
            st.multiselect(
                t(f"filter.{field}", language), choices, key=key, format_func=_format(field),
                on_change=_on_widget, args=(field,), placeholder=t("filter.all", language),
            )
        st.session_state[_widget_key("as_of")] = as_of(current)
        st.date_input(t("filter.as_of", language), key=_widget_key("as_of"),
                      on_change=_on_widget, args=("as_of",), format="YYYY-MM-DD")
        if current.as_of:
            st.caption(t("sidebar.as_of_pinned", language))
            if st.button(t("sidebar.latest", language), key="btn_latest"):
                set_view(as_of=None)
                st.rerun()
        else:
            st.caption(t("sidebar.as_of_latest", language))
        if any(current.filters.values()):
            if st.button(t("sidebar.reset", language), key="btn_reset_sidebar"):
                reset_filters()


def file_uploader(label_text: str, types: Sequence[str], key: str):
    """st.file_uploader with its own words in the page's language: Streamlit writes the button
    ("Upload") and the drop-zone hint in English only, so a style puts ours in their place."""
    def css_text(text: str) -> str:  # our own words from translations.csv, quoted for CSS
        return text.replace("\\", "\\\\").replace('"', '\\"')

    hint = tr("common.upload_hint", types=" · ".join(kind.upper() for kind in types))
    st.html(UPLOADER_CSS.format(button=css_text(tr("common.upload_button")), hint=css_text(hint)))
    return st.file_uploader(label_text, type=list(types), key=key)


def url_page(total: int, size: int, key: str) -> int:
    """Which page (1-based) of `total` rows, `size` per page, the view shows: held in the URL
    (`page_no`) so a shared link opens the same page. A page number that does not exist gives
    a notice and the first page; a chooser appears when there is more than one page."""
    pages = max(1, -(-total // size))
    raw = state().extra("page_no")
    page = int(raw) if raw and raw.isdigit() else 1
    if raw is not None and not (raw.isdigit() and 1 <= page <= pages):
        st.warning(tr("notice.bad_value", name=param_word("page_no", lang()), value=plain(raw)), icon=":material/link_off:")
        page = 1
        set_view(page_no=None)
    if pages > 1:
        widget = f"page_{key}"
        st.session_state[widget] = page
        st.pagination(pages, key=widget, max_visible_pages=7, on_change=_on_page, args=(widget,))
        st.caption(tr("common.rows_shown", first=(page - 1) * size + 1, last=min(page * size, total), total=total))
    return page


def _on_page(widget: str) -> None:
    page = st.session_state[widget]
    set_view(page_no=None if page == 1 else page)


def bound(widget: Callable, param: str, choices: Sequence[str], *, key: str, label_text: str,
          default: str | None = None, initial: str | None = None, clears: Sequence[str] = (),
          listed: int | None = None, **widget_kwargs: object) -> str | None:
    """`widget` (st.selectbox, st.segmented_control, ...) over `choices`, tied to the page
    parameter `param` of the URL: it shows the URL's value, and a change writes it back (the
    `default`, or nothing, leaves the parameter out; `clears` are page parameters a change
    resets, such as the page number). A value the choices do not hold gives a notice and is
    dropped from the URL; then `initial` (or `default`) is shown. Returns the value shown.

    `listed` bounds what the browser is sent of a long list (a selectbox): the first `listed`
    choices and the value shown; any other choice can be typed, and is checked like a link's.

    Streamlit's own `bind="query-params"` is not used: a bound parameter cannot be set or
    cleared through st.query_params, which is how the view state writes the whole canonical
    URL (and links carry it), and it drops a bad value without the notice every link gets."""
    wanted = valid_param(param, choices)
    value = wanted if wanted is not None else (initial if initial is not None else default)

    def changed() -> None:
        new = st.session_state[key]
        set_view(**{param: None if new in (None, default) else new}, **{name: None for name in clears})

    st.session_state[key] = value
    if widget in (st.selectbox, st.multiselect):  # never Streamlit's English "Choose an option"
        widget_kwargs.setdefault("placeholder", tr("widget.choose"))
    options = list(choices)
    if listed is not None and len(options) > listed:
        options = options[:listed] + ([value] if value is not None and value not in options[:listed] else [])
        widget_kwargs.setdefault("accept_new_options", True)
    widget(label_text, options, key=key, on_change=changed, **widget_kwargs)
    return value


def valid_param(param: str, choices: Sequence[str]) -> str | None:
    """The URL's value of page parameter `param` if `choices` hold it; else None, with a notice,
    and the parameter dropped from the URL (for values only the data can check, such as an
    indicator code; closed sets are checked when the URL is parsed, `filters.PAGE_PARAMS`)."""
    wanted = state().extra(param)
    if wanted is not None and wanted not in choices:
        st.warning(tr("notice.bad_value", name=param_word(param, lang()), value=plain(wanted)), icon=":material/link_off:")
        set_view(**{param: None})
        return None
    return wanted
