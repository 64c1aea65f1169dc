"""The framework's own time to a first number: a bare Streamlit page with four st.metric, nothing
else (no store, no frame). `bench.first_number` serves it beside the dashboard and compares."""

import streamlit as st

st.set_page_config(page_title="bare", layout="wide")
st.title("Bare page")
for column, (label, value) in zip(st.columns(4), [("A", "1"), ("B", "2"), ("C", "3"), ("D", "4")]):
    column.metric(label, value)
