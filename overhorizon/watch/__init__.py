"""Watching: a registry of sources polled on a schedule, rules over the incidents, alerts out.

The last step of the flow; it may import from every step before it (ingest, nlp, geo, fusion,
store) but nothing imports from it except the app layer (:mod:`overhorizon.app`), the CLI
and the API.

The sources it polls come from :mod:`overhorizon.registry` (which fusion reads too).

- ``fetch``: one polite, guarded HTTP fetch (SSRF guard, robots.txt, per-host pacing,
  conditional GET, size cap, retries); ``listing``: what a fetched URL is (feed, sitemap,
  page) and what it lists; ``poll``: a poll cycle over every source; ``cycle``: poll, then the
  rest of the flow through :mod:`overhorizon.app` (``overhorizon watch``).
- ``rules``, ``alerts``, ``deliver``, ``digest``: rules over incidents, alerts raised once,
  delivered by webhook and e-mail, and the daily digest.
"""
