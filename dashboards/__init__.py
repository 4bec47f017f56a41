"""Leadership views that read from criteria, directives and funding: the dashboard of a
period and a scope, the timeliness scoreboard and the commune map. Nothing imports
dashboards; it reads each app through its selectors and writes nothing of its own."""
