"""The dashboard served by ``comptoir serve``: profiles, mappings, jobs, live journal, history,
order ledger, reconciliation. Server-rendered (Starlette, Jinja2) with htmx for the live parts."""
