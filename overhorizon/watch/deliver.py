"""Delivering alerts: a signed webhook (JSON POST) and plain-text e-mail through SMTP.

Each channel of an alert is sent until it succeeds, once: a failure is recorded
(``delivery_failed`` with the detail) and retried on the next run; a channel that was sent is
never sent again. The webhook carries ``X-Overhorizon-Delivery: alert-<id>``, the same on every
retry, so a receiver can drop a repeat after a crash between sending and recording.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import smtplib
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any
from urllib.parse import urlsplit

import httpx

from overhorizon import __version__
from overhorizon.settings import Settings
from overhorizon.store.alerts import (
    WatchedIncident,
    record_delivery,
    undelivered,
    watched_incidents,
)
from overhorizon.store.articles import Store
from overhorizon.watch.rules import Rule

SIGNATURE_HEADER = "X-Overhorizon-Signature"
TIMESTAMP_HEADER = "X-Overhorizon-Timestamp"
DELIVERY_HEADER = "X-Overhorizon-Delivery"


class DeliveryError(Exception):
    """A channel could not deliver: ``code`` from the reasons catalogue, ``detail`` in words."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Delivery:
    """One attempt on one channel of one alert: ``ok``, or the failure's code and detail."""

    alert_id: int
    rule: str
    channel: str  # webhook or email
    ok: bool
    code: str | None = None
    detail: str | None = None


def links(base_url: str, incident_id: str) -> dict[str, str]:
    """Where a person (the dashboard opens ``#incident=<id>``) and a program find an incident."""
    base = base_url.rstrip("/")
    return {
        "dashboard": f"{base}/#incident={incident_id}",
        "api": f"{base}/api/incidents/{incident_id}",
    }


def sign(body: bytes, secret: str) -> str:
    """The signature header's value: ``sha256=`` and the hex HMAC-SHA256 of ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def incident_summary(incident: WatchedIncident) -> dict[str, Any]:
    """An incident in the few fields an alert carries."""
    low, best, high = incident.killed_range
    return {
        "id": incident.id,
        "title": incident.title,
        "type": incident.type,
        "mode": incident.mode,
        "acled_event_type": incident.acled_event_type,
        "acled_sub_event_type": incident.acled_sub_event_type,
        "date_start": incident.date_start,
        "date_end": incident.date_end,
        "place": incident.place,
        "lat": incident.lat,
        "lon": incident.lon,
        "country": incident.country,
        "admin1": incident.admin1,
        "killed": {"low": low, "best": best, "high": high},
        "casualties": [
            {
                "group": k.group,
                "killed": {"low": k.killed.low, "best": k.killed.best, "high": k.killed.high},
            }
            for k in incident.killed
        ],
        "grade": incident.grade,
        "grade_reason": incident.grade_reason,
        "sources": incident.source_names,
        "contradictions": [{"kind": c.kind, "why": c.why} for c in incident.trail.contradictions],
    }


def webhook_body(alert: Any, incident: WatchedIncident | None, base_url: str) -> bytes:
    """The JSON a webhook receives: the alert, the incident (null when fusion has since
    folded it into another) and its links."""
    data = {
        "alert": {
            "id": alert.id,
            "rule": alert.rule,
            "kind": alert.kind,
            "incident_id": alert.incident_id,
            "reasons": list(alert.reasons or []),
            "title": alert.title,
            "summary": alert.summary,
            "created_at": alert.created_at,
        },
        "incident": incident_summary(incident) if incident is not None else None,
        "links": links(base_url, alert.incident_id),
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode()


def check_address(url: str, *, allow_private: bool) -> None:
    """Refuse a URL whose host resolves to a private, loopback, link-local or otherwise
    non-public address unless ``allow_private`` (the SSRF guard); raise DeliveryError."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeliveryError("delivery_failed", f"{url!r} is not an http or https URL")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise DeliveryError("delivery_failed", f"cannot resolve {parts.hostname} ({exc})") from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            raise DeliveryError(
                "private_address",
                f"{parts.hostname} is {address}, a private or loopback address",
            )


def send_webhook(
    url: str, body: bytes, *, delivery_id: str, settings: Settings, now: datetime
) -> None:
    """POST ``body`` to ``url``, signed when ``webhook_secret`` is set; a 2xx answer is
    success, anything else raises DeliveryError. Redirects are not followed."""
    check_address(url, allow_private=settings.allow_private_addresses)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": settings.user_agent or f"overhorizon/{__version__}",
        TIMESTAMP_HEADER: str(int(now.timestamp())),
        DELIVERY_HEADER: delivery_id,
    }
    if settings.webhook_secret:
        headers[SIGNATURE_HEADER] = sign(body, settings.webhook_secret)
    try:
        with httpx.Client(timeout=settings.fetch_timeout, follow_redirects=False) as client:
            answer = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        raise DeliveryError(
            "delivery_failed", f"webhook {url}: {type(exc).__name__}: {exc}"
        ) from None
    if not 200 <= answer.status_code < 300:
        raise DeliveryError("delivery_failed", f"webhook {url}: HTTP {answer.status_code}")


def _header_text(text: str, limit: int = 150) -> str:
    """One line for a mail header: no line breaks (header injection), at most ``limit``."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def email_message(
    alert: Any, recipients: tuple[str, ...], settings: Settings, now: datetime
) -> EmailMessage:
    """The plain-text message of an alert, with the incident's links."""
    msg = EmailMessage()
    msg["From"] = settings.smtp_from
    msg["To"] = ", ".join(recipients)
    msg["Subject"] = _header_text(f"[overhorizon] {alert.rule}: {alert.kind}: {alert.title}")
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(f"alert-{alert.id}")
    msg[DELIVERY_HEADER] = f"alert-{alert.id}"
    where = links(settings.base_url, alert.incident_id)
    text = (
        f"{alert.summary}\n\n"
        f"Rule {alert.rule} matched: {'; '.join(alert.reasons or [])}\n\n"
        f"On the dashboard: {where['dashboard']}\n"
        f"As JSON: {where['api']}\n"
    )
    msg.set_content(text)
    return msg


def send_email(msg: EmailMessage, recipients: tuple[str, ...], settings: Settings) -> None:
    """Send through ``smtp_host``/``smtp_port`` (STARTTLS and login when set); raise
    DeliveryError when the server cannot be reached or refuses every recipient."""
    if not settings.smtp_host:
        raise DeliveryError("delivery_failed", "e-mail: smtp_host is not set")
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.fetch_timeout
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            refused = smtp.send_message(msg, from_addr=settings.smtp_from, to_addrs=recipients)
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError("delivery_failed", f"e-mail: {type(exc).__name__}: {exc}") from None
    if refused:
        raise DeliveryError("delivery_failed", "e-mail: refused for " + ", ".join(sorted(refused)))


def deliver_pending(
    store: Store,
    settings: Settings,
    rules: Mapping[str, Rule],
    *,
    now: datetime | None = None,
) -> list[Delivery]:
    """Send every channel of every alert still pending or failed, record each outcome and
    commit after each alert (a crash loses at most one alert's record)."""
    now = now or datetime.now(UTC)
    stamp = now.isoformat(timespec="seconds")
    out: list[Delivery] = []
    waiting = undelivered(store)
    incidents = (
        {i.id: i for i in watched_incidents(store, ids={a.incident_id for a in waiting})}
        if waiting
        else {}
    )
    for alert in waiting:
        rule = rules.get(alert.rule)
        states: dict[str, str] = {}
        errors: list[str] = []
        for channel in ("webhook", "email"):
            if getattr(alert, channel) not in ("pending", "failed"):
                continue
            target = (rule.webhook if channel == "webhook" else rule.emails) if rule else None
            if not target:  # the rule was removed, or dropped the channel, before delivery
                states[channel] = "none"
                continue
            try:
                if channel == "webhook":
                    body = webhook_body(alert, incidents.get(alert.incident_id), settings.base_url)
                    send_webhook(
                        str(target), body, delivery_id=f"alert-{alert.id}", settings=settings,
                        now=now,
                    )  # fmt: skip
                else:
                    recipients = tuple(target)
                    send_email(
                        email_message(alert, recipients, settings, now), recipients, settings
                    )
            except DeliveryError as exc:
                states[channel] = "failed"
                errors.append(f"{exc.code}: {exc.detail}")
                out.append(Delivery(alert.id, alert.rule, channel, False, exc.code, exc.detail))
            else:
                states[channel] = "sent"
                out.append(Delivery(alert.id, alert.rule, channel, True))
        record_delivery(store, alert.id, states, "; ".join(errors) or None, stamp)
        store.checkpoint()
    return out
