"""The task cockpit's services (issue 24): issues resolved and signed off in place, the deviation
report. No Streamlit here; the pages' Streamlit parts are in pilotdash/ui/tasks*.py."""
