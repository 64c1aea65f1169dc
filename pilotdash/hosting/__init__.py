"""Hosting the dashboard for a whole programme: the store on DuckLake with a PostgreSQL catalog
(`lake`), a local PostgreSQL cluster when the configuration says so (`pgcluster`), and the
process set `dev.py serve` starts (`serve`)."""
