"""The pilot-programme dashboard: `streamlit run app.py` (or `python3 dev.py run`).

This file is the frame around every page: it parses the view from the URL, draws the sidebar
(language, page links that carry the filters, filters) and runs the chosen page.
"""

import streamlit as st

from pilotdash import ui

st.set_page_config(page_title="试点项目监测看板 · Pilot dashboard", page_icon=":material/monitoring:", layout="wide")

current = ui.load_state()

# (file, url path, title key, icon); the first is the home page.
PAGES = [
    ("pages/overview.py", "overview", "page.overview", ":material/dashboard:"),
]

pages = [
    st.Page(path, title=ui.tr(title), icon=icon, url_path=url, default=(i == 0))
    for i, (path, url, title, icon) in enumerate(PAGES)
]
selected = st.navigation(pages, position="hidden")
ui.sidebar([(page, page.icon) for page in pages])
selected.run()
