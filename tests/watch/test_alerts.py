"""Alerts raised once per state and delivered once: a real webhook receiver and SMTP server."""

from __future__ import annotations

import hashlib
import hmac
import time
from email import message_from_bytes
from pathlib import Path
from typing import Any

from sqlalchemy import select

from overhorizon.settings import Settings
from overhorizon.store import open_store
from overhorizon.store.alerts import remove_rule, watched_incidents
from overhorizon.store.schema import alerts
from overhorizon.watch.alerts import run_alerts
from overhorizon.watch.rules import add_rule
from tests.watch.alerting import (
    FIRST,
    LATER,
    TEXT,
    Mailbox,
    Receiver,
    add_articles,
)


def _alert_rows(db: str) -> list[Any]:
    with open_store(db) as store:
        return list(store.conn.execute(select(alerts).order_by(alerts.c.id)))


def test_alerts_fire_once_by_webhook_and_email(
    db_url: str, watch_settings: Settings, nlp: Any, receiver: Receiver, mailbox: Mailbox
) -> None:
    settings = watch_settings.replace(
        db=db_url, smtp_host=mailbox.host, smtp_port=mailbox.port, smtp_from="watch@example.org"
    )
    with open_store(db_url) as store:
        add_articles(store, settings, nlp, [TEXT / n for n in FIRST])
        add_rule(
            store,
            settings,
            {
                "name": "kabul-deaths",
                "country": "AFG",
                "min_killed": 5,
                "webhook": receiver.url,
                "emails": ["desk@example.org", "editor@example.org"],
                "backfill": True,  # the incidents were there before the rule
            },
        )
        run = run_alerts(store, settings)
        assert {f.kind for f in run.fired} == {"new"} and len(run.fired) == 2
        assert all("in AFG" in f.reasons and "killed >= 5" in f.reasons[1] for f in run.fired)
        assert not run.failed and len(run.deliveries) == 4
        # a second run raises and sends nothing
        again = run_alerts(store, settings)
        assert again.fired == [] and again.deliveries == []
    assert len(receiver.got) == 2 and len(mailbox.messages) == 2
    fired = {f.alert_id: f for f in run.fired}
    for got in receiver.got:
        expected = "sha256=" + hmac.new(b"s3cret", got.body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(got.headers["x-overhorizon-signature"], expected)
        assert got.headers["x-overhorizon-timestamp"].isdigit()
        assert got.headers["content-type"] == "application/json"
    bodies = receiver.json()
    assert {b["alert"]["id"] for b in bodies} == set(fired)
    assert {r.headers["x-overhorizon-delivery"] for r in receiver.got} == {
        f"alert-{i}" for i in fired
    }
    for body in bodies:
        iid = body["alert"]["incident_id"]
        assert body["incident"]["id"] == iid and body["incident"]["killed"]["best"] >= 5
        assert body["links"] == {
            "dashboard": f"https://watch.example/#incident={iid}",
            "api": f"https://watch.example/api/incidents/{iid}",
        }
    for sender, recipients, content in mailbox.messages:
        assert sender == "watch@example.org"
        assert sorted(recipients) == ["desk@example.org", "editor@example.org"]
        msg = message_from_bytes(content)
        assert msg["Subject"].startswith("[overhorizon] kabul-deaths: new: ")
        assert "https://watch.example/#incident=i-" in msg.get_payload(decode=True).decode()
    rows = _alert_rows(db_url)
    assert [(r.webhook, r.email, r.attempts) for r in rows] == [("sent", "sent", 1)] * 2


def test_a_later_rule_notes_what_was_there_then_alerts_once_on_a_change(
    watch_settings: Settings, nlp: Any, receiver: Receiver
) -> None:
    settings = watch_settings
    with open_store(settings.db) as store:
        add_articles(store, settings, nlp, [TEXT / n for n in FIRST])
        time.sleep(1.1)  # stored times have whole seconds: the rule is created after
        add_rule(
            store,
            settings,
            {"name": "assaults", "country": "AFG", "types": ["ASSAULT"], "webhook": receiver.url},
        )
        first = run_alerts(store, settings)
        assert first.fired == [] and first.noted >= 3 and receiver.got == []
        # a later article raises the airport bombing's toll; fusion rewrites that incident
        add_articles(store, settings, nlp, [TEXT / LATER])
        second = run_alerts(store, settings)
        changed = [f for f in second.fired if f.kind == "changed"]
        # the later article's reports join two stored incidents (the bombing, and the gate
        # explosion the sample's first reports keep apart); both keep their ids, so each is
        # "changed", once
        assert 1 <= len(changed) == len({f.incident_id for f in changed}), second.fired
        bodies = [b for b in receiver.json() if b["alert"]["kind"] == "changed"]
        # the Afghans' toll rose to about 170; the US service members are counted beside them
        assert any(b["incident"]["killed"]["best"] >= 170 for b in bodies)
        assert not second.failed
        # nothing again
        third = run_alerts(store, settings)
        assert third.fired == [] and third.deliveries == []
    ids = [r.headers["x-overhorizon-delivery"] for r in receiver.got]
    assert len(ids) == len(set(ids)) == len(second.fired)


def test_a_failed_webhook_is_retried_and_sent_once(
    watch_settings: Settings, nlp: Any, receiver: Receiver
) -> None:
    settings = watch_settings
    receiver.statuses = [500, 500]  # both alerts of the first run fail
    with open_store(settings.db) as store:
        add_articles(store, settings, nlp, [TEXT / n for n in FIRST])
        add_rule(
            store,
            settings,
            {"name": "toll", "min_killed": 5, "webhook": receiver.url, "backfill": True},
        )
        first = run_alerts(store, settings)
        assert len(first.fired) == 2 and len(first.failed) == 2
        assert {d.code for d in first.failed} == {"delivery_failed"}
        assert all("HTTP 500" in (d.detail or "") for d in first.failed)
    rows = _alert_rows(settings.db)
    assert [r.webhook for r in rows] == ["failed", "failed"]
    assert all("HTTP 500" in r.last_error for r in rows)
    with open_store(settings.db) as store:
        second = run_alerts(store, settings)  # the receiver has recovered
        assert second.fired == [] and len(second.deliveries) == 2 and not second.failed
        third = run_alerts(store, settings)
        assert third.fired == [] and third.deliveries == []
    assert receiver.answered == [500, 500, 200, 200]
    delivered = [r.headers["x-overhorizon-delivery"] for r in receiver.got]
    assert delivered[:2] == delivered[2:]  # the same delivery id on the retry
    rows = _alert_rows(settings.db)
    assert [(r.webhook, r.attempts, r.last_error) for r in rows] == [("sent", 2, None)] * 2


def test_private_addresses_are_refused_unless_allowed(
    watch_settings: Settings, nlp: Any, receiver: Receiver, tmp_path: Path
) -> None:
    settings = watch_settings.replace(allow_private_addresses=False)
    with open_store(settings.db) as store:
        add_articles(store, settings, nlp, [TEXT / FIRST[1]])
        add_rule(
            store,
            settings,
            {"name": "toll", "min_killed": 50, "webhook": receiver.url, "backfill": True},
        )
        run = run_alerts(store, settings)
    assert len(run.fired) == 1 and [d.code for d in run.failed] == ["private_address"]
    assert receiver.got == []
    assert "127.0.0.1" in _alert_rows(settings.db)[0].last_error


def test_a_rule_looks_again_only_at_incidents_written_since(
    watch_settings: Settings, nlp: Any
) -> None:
    settings = watch_settings
    with open_store(settings.db) as store:
        add_articles(store, settings, nlp, [TEXT / FIRST[0]])
        time.sleep(1.1)  # stored times have whole seconds: the two fusions differ
        add_articles(store, settings, nlp, [TEXT / n for n in FIRST[1:]])
        add_rule(store, settings, {"name": "any-afg", "country": "AFG", "backfill": True})
        first = run_alerts(store, settings)
        assert first.fired and first.incidents > 3
        again = run_alerts(store, settings)
        # only those of the latest second of the first look: none of them due again
        assert again.fired == [] and 0 < again.incidents < first.incidents
        time.sleep(1.1)
        add_articles(store, settings, nlp, [TEXT / LATER])  # rewrites the bombing
        later = run_alerts(store, settings)
        assert [f.kind for f in later.fired].count("changed") >= 1
        assert later.incidents < first.incidents + 5
        # a rule whose fields change looks at everything again (and, made now, alerts on none
        # of what was there before it)
        remove_rule(store, "any-afg")
        time.sleep(1.1)  # the new rule is younger than every incident
        add_rule(store, settings, {"name": "any-afg", "country": "AFG", "min_killed": 1})
        changed = run_alerts(store, settings)
        assert changed.incidents == len(watched_incidents(store)) > later.incidents
        assert changed.fired == []
