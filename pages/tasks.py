"""Tasks 任务驾驶舱 (the task cockpit): on-time delivery by belt; the late and behind tasks of the
filtered pilots first (filters: owner, level, and the sidebar's belt and province); one pilot's
task tree, expandable; the deviation report 偏差分析报告 of a month as Word and printable HTML.
`?wall=1` is the wall view for a big screen: the belts in turn, refreshed every minute."""

import streamlit as st

from pilotdash import ui
from pilotdash.ui import tasks as tu
from pilotdash.ui import tasks_report

view = ui.header("page.tasks")
as_of = ui.as_of(view)

if view.extra("wall") == "1":
    tu.wall(as_of)
    ui.end_page()
st.page_link("pages/tasks.py", label=ui.tr("tasks.open_wall"), icon=":material/tv:",
             query_params={**ui.nav_params(), "wall": "1"})

# On-time delivery 按时交付率 by belt, over the filtered pilots.
delivery = ui.query("task_delivery_by_belt", view)
st.subheader(ui.tr("tasks.delivery_title"))
tu.delivery_by_belt(delivery)

# The late and behind tasks first, across the programme.
st.subheader(ui.tr("tasks.late_first"))
left, middle, right = st.columns(3)
late_only = ui.bound(middle.segmented_control, "tstate", ["late", "all"], key="tasks_tstate",
                     label_text=ui.tr("tasks.show"), default="late",
                     format_func=lambda c: ui.tr(f"tasks.show.{c}")) != "all"
level = ui.bound(right.selectbox, "tlevel", ["1", "2", "3"], key="tasks_level", label_text=ui.tr("tasks.col.level"),
                 index=None, format_func=lambda n: ui.tr(f"tasks.level.{n}"), placeholder=ui.tr("tasks.all_levels"))
states = ["overdue", "behind"] if late_only else None
everyone = ui.query("task_status", view, task_state=states, level=int(level) if level else None)
owner = ui.bound(left.selectbox, "task_owner", tu.owners(everyone), key="tasks_owner",
                 label_text=ui.tr("tasks.col.owner"), index=None, placeholder=ui.tr("tasks.all_owners"))
rows = ui.query("task_status", view, task_state=states, level=int(level) if level else None, owner=owner)
st.caption(ui.tr("tasks.count", n=len(rows)))
ui.paged_table(rows, "task_status", tu.status_columns(), "task_status", shape=tu.status_rows,
               title=ui.tr("tasks.late_first"), phone=("name", "task_name", "task_state", "slip_days"))

# One pilot's tree.
st.subheader(ui.tr("tasks.tree_title"))
pilots = ui.query("project_list", view)
ids = list(pilots["project_id"])
names = dict(zip(ids, ui.local_names(pilots)))
# The pilot chooser lists a bounded number (16,000 pilots at 100× were a megabyte a visit listed
# whole); any other pilot's number can be typed and is checked like a link's.
chosen = ui.bound(st.selectbox, "project", ids, key="tasks_project", label_text=ui.tr("tasks.choose_pilot"),
                  index=None, format_func=lambda p: f"{p} · {names.get(p, '')}", placeholder=ui.tr("tasks.choose_hint"),
                  listed=tu.PICK_MAX)
if chosen:
    tree = ui.query("task_tree", None, as_of=as_of, project=chosen)
    if tree.empty:
        st.caption(ui.tr("tasks.no_tasks"))
    else:
        tu.tree(tree)

# The deviation report 偏差分析报告 of a month, for the filtered pilots.
st.subheader(ui.tr("report.deviation_title"))
tasks_report.download(view, as_of)
