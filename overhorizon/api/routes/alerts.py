"""``GET /api/alerts``, ``GET /api/rules``, ``POST /api/rules`` (with the write token) and
``GET /api/rules/{name}/alerts.atom``: watch rules, the alerts they raised, a feed of each."""

from __future__ import annotations

import json
from typing import Annotated, Any
from xml.etree import ElementTree as ET

from fastapi import APIRouter, HTTPException, Query, Request, Response

from overhorizon import __version__
from overhorizon.api.deps import StoreDep
from overhorizon.api.routes.articles import _authorised
from overhorizon.api.schemas import Alert, AlertPage, Error, Rule
from overhorizon.reasons import ConfigError
from overhorizon.settings import Settings
from overhorizon.store.alerts import list_alerts

router = APIRouter(tags=["alerts"])
_ATOM = "http://www.w3.org/2005/Atom"
_FEED_SIZE = 100


def _rule_model(rule: Any) -> Rule:
    return Rule(**rule.spec(), origin=rule.origin, created_at=rule.created_at)


def _rules(request: Request, store: Any) -> list[Any]:
    from overhorizon.watch.rules import all_rules

    settings: Settings = request.app.state.settings
    try:
        return all_rules(store, settings)
    except ConfigError as exc:
        raise HTTPException(500, {"code": exc.reason.code, "message": exc.detail}) from None


@router.get(
    "/alerts",
    operation_id="listAlerts",
    response_model=AlertPage,
    responses={422: {"model": Error}},
)
def get_alerts(
    store: StoreDep,
    rule: Annotated[str | None, Query(description="Only the alerts of this rule.")] = None,
    since: Annotated[
        str | None,
        Query(
            description="Raised at or after this UTC date or instant (ISO-8601).",
            pattern=r"^\d{4}-\d{2}-\d{2}([T ][0-9:.+Z-]*)?$",
        ),
    ] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> AlertPage:
    """Alerts raised by watch rules, latest first, with each channel's delivery state."""
    total, rows = list_alerts(store, rule=rule, since=since, offset=offset, limit=limit)
    items = [Alert.model_validate(dict(r._mapping)) for r in rows]
    return AlertPage(total=total, offset=offset, limit=limit, items=items)


@router.get("/rules", operation_id="listRules", response_model=list[Rule])
def get_rules(request: Request, store: StoreDep) -> list[Rule]:
    """The watch rules of rules.toml and of the store, by name."""
    return [_rule_model(r) for r in _rules(request, store)]


@router.post(
    "/rules",
    operation_id="addRule",
    response_model=Rule,
    status_code=201,
    responses={401: {"model": Error}, 403: {"model": Error}, 422: {"model": Error}},
)
async def post_rule(request: Request, store: StoreDep) -> Rule:
    """Add a watch rule to the store: a JSON object with rules.toml's fields (docs/alerts.md).
    Needs ``Authorization: Bearer <api_token>``."""
    from overhorizon.watch.rules import add_rule

    settings: Settings = request.app.state.settings
    _authorised(request, settings)
    body = await request.body()
    if len(body) > 64_000:
        raise HTTPException(413, {"code": "too_large", "message": "a rule of at most 64 kB"})
    try:
        data = json.loads(body or b"null")
    except ValueError:
        raise HTTPException(422, {"code": "bad_json", "message": "the body is not JSON"}) from None
    if not isinstance(data, dict):
        raise HTTPException(422, {"code": "bad_rule", "message": "send one JSON object"})
    try:
        rule = add_rule(store, settings, data)
    except ConfigError as exc:
        raise HTTPException(422, {"code": exc.reason.code, "message": exc.detail}) from None
    return _rule_model(rule)


@router.get(
    "/rules/{name}/alerts.atom",
    operation_id="ruleAlertsFeed",
    response_class=Response,
    responses={
        200: {"content": {"application/atom+xml": {}}, "description": "An Atom feed."},
        404: {"model": Error},
    },
)
def rule_feed(name: str, request: Request, store: StoreDep) -> Response:
    """The latest alerts of one rule as an Atom feed (RFC 4287), for any feed reader."""
    from overhorizon.watch.deliver import links

    settings: Settings = request.app.state.settings
    rules = {r.name: r for r in _rules(request, store)}
    if name not in rules:
        raise HTTPException(404, {"code": "rule_not_found", "message": f"no rule {name!r}"})
    _total, rows = list_alerts(store, rule=name, limit=_FEED_SIZE)
    base = settings.base_url.rstrip("/")
    self_url = f"{base}/api/rules/{name}/alerts.atom"
    ET.register_namespace("", _ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{_ATOM}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    feed = ET.Element(f"{{{_ATOM}}}feed")
    sub(feed, "id", f"tag:overhorizon,2026:rule/{name}")
    sub(feed, "title", f"overhorizon alerts: {name}")
    updated = rows[0].created_at if rows else rules[name].created_at or "1970-01-01T00:00:00+00:00"
    sub(feed, "updated", _rfc3339(updated))
    sub(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    sub(feed, "link", rel="alternate", href=f"{base}/", type="text/html")
    author = sub(feed, "author")
    sub(author, "name", "overhorizon")
    sub(feed, "generator", "overhorizon", version=__version__)
    for row in rows:
        entry = sub(feed, "entry")
        sub(entry, "id", f"tag:overhorizon,2026:alert/{row.id}")
        sub(entry, "title", f"{row.kind}: {row.title}")
        sub(entry, "updated", _rfc3339(row.created_at))
        sub(entry, "link", rel="alternate", href=links(base, row.incident_id)["dashboard"])
        sub(entry, "link", rel="related", href=links(base, row.incident_id)["api"])
        sub(entry, "summary", row.summary + "\n\n" + "; ".join(row.reasons or []), type="text")
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")
    return Response(body, media_type="application/atom+xml; charset=utf-8")


def _rfc3339(stamp: str) -> str:
    """A stored UTC instant as RFC 3339 (a bare date gets midnight UTC)."""
    if len(stamp) == 10:
        return stamp + "T00:00:00Z"
    return stamp.replace("+00:00", "Z")
