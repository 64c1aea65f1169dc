"""pilotdash: the pilot-programme dashboard: store, measures, named queries, ingest."""
