"""Benchmark of the review app: 10,000 generated conversations (about 200,000 Rasa events) in
SQLite (and PostgreSQL with BENCH_PG=1; BENCH_SQLITE=0 skips SQLite); p50/p95 of the list and of each filter over HTTP."""
from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from review import db, summary  # noqa: E402
from tests.support.review import PASSWORD, running_review  # noqa: E402

N_CONVERSATIONS = int(os.environ.get("BENCH_CONVERSATIONS", "10000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40"))
TOPICS = ["cost", "what_does", "who_is_entitled", "how_to_get", "duration", "diagnosis", "contact",
          "law", "hospital", "expecting", "complaint", "individual_plan"]
WORDS = ("barnet skole barnehage lege kommune hjelp søknad vedtak koordinator tjenester plan møte "
         "sykehus diagnose familie foreldre avlastning NAV PPT helsestasjon time brev svar").split()
CHANNELS = ["socketio", "socketio", "socketio", "sms", "rest"]


def rasa_events_table(engine) -> None:
    """Rasa's own `events` schema (rasa.core.tracker_store.SQLTrackerStore.SQLEvent)."""
    from rasa.core.tracker_store import SQLTrackerStore
    SQLTrackerStore.Base.metadata.create_all(engine)


def conversation(rng: random.Random, sender: str, start: float) -> List[Dict]:
    evs: List[Dict] = []
    ts = start
    channel = rng.choice(CHANNELS)

    def add(ev: Dict) -> None:
        nonlocal ts
        ts += rng.uniform(0.5, 20)
        ev["timestamp"] = ts
        evs.append(ev)

    add({"event": "action", "name": "action_session_start"})
    add({"event": "session_started"})
    add({"event": "action", "name": "action_listen"})
    for turn in range(rng.randint(2, 5)):
        r = rng.random()
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12))) + "?"
        if r < 0.08:
            parse = {"intent": {"name": "nlu_fallback", "confidence": 0.5}}
            actions, utter = ["action_fallback"], "utter_rephrase"
        elif r < 0.14:
            parse = {"intent": {"name": "request_human", "confidence": rng.uniform(0.6, 1)}}
            actions, utter = ["utter_handoff"], "utter_handoff"
        elif r < 0.22 and turn == 0:
            parse = {"intent": {"name": "check_eligibility", "confidence": rng.uniform(0.7, 1)}}
            actions, utter = ["eligibility_form"], "utter_ask_child_status"
        else:
            topic = rng.choice(TOPICS)
            conf = rng.uniform(0.3, 1)
            parse = {"intent": {"name": "faq", "confidence": 1.0, "full_retrieval_intent_name": f"faq/{topic}"},
                     "response_selector": {"all_retrieval_intents": ["faq"], "faq": {"response": {
                         "intent_response_key": f"faq/{topic}", "confidence": conf,
                         "utter_action": f"utter_faq/{topic}"}}}}
            actions, utter = ["utter_faq"], f"utter_faq/{topic}"
        parse["text"] = text
        add({"event": "user", "text": text, "parse_data": parse, "input_channel": channel})
        add({"event": "user_featurization", "use_text_for_featurization": False})
        for a in actions:
            add({"event": "action", "name": a, "policy": "RulePolicy", "confidence": 1.0})
            if a == "eligibility_form":
                add({"event": "active_loop", "name": "eligibility_form"})
        add({"event": "bot", "text": "Svar om " + " ".join(rng.choice(WORDS) for _ in range(20)),
             "metadata": {"utter_action": utter}, "data": {"buttons": [{"title": "Ja", "payload": "Ja"}]}})
        if actions == ["eligibility_form"] and rng.random() < 0.6:
            add({"event": "active_loop", "name": None})
            add({"event": "bot", "text": "Resultat", "metadata": {"utter_action": rng.choice(
                ["utter_eligibility_likely", "utter_eligibility_likely_not", "utter_eligibility_unclear"])}})
        add({"event": "action", "name": "action_listen"})
        if channel == "socketio" and rng.random() < 0.15:
            add({"event": "slot", "name": "feedback", "value": {
                "value": rng.choice(["up", "down"]), "message": "Svar", "message_index": turn}})
    return evs


def generate(engine, n: int, seed: int = 1) -> int:
    rng = random.Random(seed)
    now = time.time()
    rows = []
    total = 0
    with engine.begin() as conn:
        for i in range(n):
            sender = f"bench-{i:05d}"
            for ev in conversation(rng, sender, now - rng.uniform(0, 90 * 86400)):
                rows.append({"sender_id": sender, "type_name": ev["event"], "timestamp": ev["timestamp"],
                             "intent_name": (ev.get("parse_data") or {}).get("intent", {}).get("name"),
                             "action_name": ev.get("name"), "data": json.dumps(ev)})
            if len(rows) > 20000:
                conn.execute(sa.insert(db.events), rows)
                total += len(rows)
                rows = []
        if rows:
            conn.execute(sa.insert(db.events), rows)
            total += len(rows)
    return total


SCENARIOS = {
    "list (newest first)": {},
    "list, page 200": {"side": "200"},
    "date range (30 days)": {"date_from": time.strftime("%Y-%m-%d", time.localtime(time.time() - 30 * 86400)),
                             "date_to": time.strftime("%Y-%m-%d")},
    "channel = SMS": {"channel": "sms"},
    "fallback": {"fallback": "1"},
    "handoff": {"handoff": "1"},
    "negative feedback": {"negative": "1"},
    "confidence below 0.4": {"confidence_below": "0.4"},
    "topic faq/cost": {"intent": "faq/cost"},
    "outcome likely": {"outcome": "likely"},
    "check abandoned": {"outcome": "abandoned"},
    "status unreviewed": {"status": "unreviewed"},
    "tag": {"tag": "følg opp"},
    "text search": {"q": "avlastning"},
    "text search, no hit": {"q": "finnes-ikke-noe-sted"},
    "combined (widget + fallback + 30 days + text)": {
        "channel": "widget", "fallback": "1", "q": "skole",
        "date_from": time.strftime("%Y-%m-%d", time.localtime(time.time() - 30 * 86400))},
    "overview (30 days)": "/oversikt",
}


def measure(db_url: str, label: str) -> None:
    engine = db.make_engine(db_url)
    rasa_events_table(engine)
    db.create_tables(engine)
    t0 = time.perf_counter()
    n_events = generate(engine, N_CONVERSATIONS)
    t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    derived = summary.refresh(engine)
    t_build = time.perf_counter() - t0
    # New activity in 100 conversations: the refresh reads only the new ids.
    generate_more = [{"sender_id": f"bench-{i:05d}", "type_name": "user", "timestamp": time.time(),
                      "intent_name": "faq", "action_name": None,
                      "data": json.dumps({"event": "user", "text": "en ny melding", "timestamp": time.time(),
                                          "input_channel": "socketio", "parse_data": {}})} for i in range(100)]
    with engine.begin() as conn:
        conn.execute(sa.insert(db.events), generate_more)
    t0 = time.perf_counter()
    again = summary.refresh(engine)
    t_incr = time.perf_counter() - t0
    with engine.begin() as conn:
        conn.execute(sa.insert(db.tags), [{"sender_id": f"bench-{i:05d}", "tag": "følg opp", "created_by": "bench",
                                           "created_at": time.time()} for i in range(0, N_CONVERSATIONS, 37)])
    print(f"\n== {label}: {N_CONVERSATIONS} conversations, {n_events} events "
          f"(generated in {t_gen:.0f} s)")
    print(f"summary built from scratch: {derived} conversations in {t_build:.1f} s; "
          f"incremental refresh after 100 new events: {again} conversations in {t_incr * 1000:.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        with running_review(db_url, Path(tmp), {"REVIEW_REFRESH_SECONDS": "2"}) as app:
            app.add_user("bench-admin", "admin")
            client = app.client("bench-admin", PASSWORD)
            print(f"{'request':48s} {'hits':>6s} {'p50 ms':>8s} {'p95 ms':>8s}")
            for name, params in SCENARIOS.items():
                path, query = (params, {}) if isinstance(params, str) else ("/", params)
                client.get(path, **query)  # warm
                times = []
                for _ in range(REQUESTS):
                    t0 = time.perf_counter()
                    r = client.get(path, **query)
                    times.append((time.perf_counter() - t0) * 1000)
                    r.raise_for_status()
                hits = ""
                if path == "/":
                    import re
                    m = re.search(r'id="result-title">(\d+)', r.text)
                    hits = m.group(1) if m else "?"
                times.sort()
                p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
                print(f"{name:48s} {hits:>6s} {statistics.median(times):8.0f} {p95:8.0f}")


def main() -> int:
    if os.environ.get("BENCH_SQLITE", "1") == "1":
        with tempfile.TemporaryDirectory() as tmp:
            measure(f"sqlite:///{tmp}/bench-tracker.db", "SQLite")
    if os.environ.get("BENCH_PG") == "1":
        from tests.support.services import running_postgres
        with running_postgres(db="bench") as pg:
            measure(pg.url, "PostgreSQL 15")
    return 0


if __name__ == "__main__":
    sys.exit(main())
