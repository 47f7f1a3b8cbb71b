"""Watching: a registry of sources polled on a schedule, rules over the incidents, alerts out.

The last step of the flow; it may import from every step before it (ingest, nlp, geo, fusion,
store) but nothing imports from it except the CLI and the API.

- ``registry``: the sources (``sources.toml`` and ``overhorizon sources add``), validated.
- ``fetch``: one polite, guarded HTTP fetch (SSRF guard, robots.txt, per-host pacing,
  conditional GET, size cap, retries); ``poll``: a poll cycle over every source.
- ``rules``, ``alerts``, ``deliver``, ``digest``: rules over incidents, alerts raised once,
  delivered by webhook and e-mail, and the daily digest.
"""
