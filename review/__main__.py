"""`python -m review` serves the app; `python -m review user|export|rebuild` are the admin commands."""
from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys

from review import db, summary
from review.settings import Settings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m review", description="Gjennomgang av samtaler")
    sub = parser.add_subparsers(dest="cmd")
    serve = sub.add_parser("serve", help="start the web app (default)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    sub.add_parser("user", help="create or update a user from REVIEW_USER, REVIEW_ROLE, REVIEW_PASSWORD")
    sub.add_parser("export", help="write the corrections as Rasa NLU YAML to REVIEW_EXPORT_FILE")
    sub.add_parser("rebuild", help="derive the summary of every conversation again")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    cmd = args.cmd or "serve"
    if cmd == "user":
        return create_user(settings)
    if cmd == "export":
        return export(settings)
    if cmd == "rebuild":
        engine = db.make_engine(settings.db_url)
        db.create_tables(engine)
        with engine.begin() as conn:
            conn.execute(db.state.delete().where(db.state.c.key == "summary_version"))
        n = summary.refresh(engine, settings.timezone)
        print(f"{n} samtaler oppdatert.")
        return 0
    return run_server(settings, getattr(args, "host", None), getattr(args, "port", None))


def create_user(settings: Settings) -> int:
    from review import store
    interactive = sys.stdin.isatty()
    username = os.environ.get("REVIEW_USER") or (input("Brukernavn: ").strip() if interactive else "")
    role = os.environ.get("REVIEW_ROLE") or (input("Rolle (reviewer eller admin): ").strip() if interactive else "")
    password = os.environ.get("REVIEW_PASSWORD")
    if not password and interactive:
        password = getpass.getpass("Passord (minst 12 tegn): ")
        if getpass.getpass("Passord en gang til: ") != password:
            print("Passordene er ikke like.", file=sys.stderr)
            return 2
    if not (username and role and password):
        print("Sett REVIEW_USER, REVIEW_ROLE (reviewer eller admin) og REVIEW_PASSWORD, "
              "eller kjør kommandoen i en terminal.", file=sys.stderr)
        return 2
    engine = db.make_engine(settings.db_url)
    db.create_tables(engine)
    try:
        what = store.upsert_user(engine, username, role, password)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"Bruker {username} ({role}) {'opprettet' if what == 'created' else 'oppdatert'}.")
    return 0


def export(settings: Settings) -> int:
    from review import store
    from review.app import export_corrections
    engine = db.make_engine(settings.db_url)
    db.create_tables(engine)
    text, senders = export_corrections(engine, settings)
    with engine.begin() as conn:
        store.log(conn, os.environ.get("USER", "make review-export"), "export", None,
                  f"{len(senders)} samtaler (kommandolinje)")
    print(f"{text.count(chr(10) + '    - ')} eksempler skrevet til {settings.export_file}")
    return 0


def run_server(settings: Settings, host=None, port=None) -> int:
    from review.app import create_app
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(settings)
    n = summary.refresh(app.ctx.engine, settings.timezone)
    logging.getLogger("review").info("summary: %d conversations derived", n)
    app.run(host=host or settings.host, port=port or settings.port, access_log=False, motd=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
