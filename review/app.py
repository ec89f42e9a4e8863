"""The review app's pages: a thin sanic layer over review/store.py, review/filters.py and the templates."""
from __future__ import annotations

import csv
import io
import math
import secrets
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import jinja2
import sqlalchemy as sa
from sanic import Sanic, response
from sanic.exceptions import NotFound
from sanic.request import Request

from review import auth, charts, db, filters, labels, store, summary, training
from review.settings import Settings

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "review_session"
PRE_COOKIE = "review_pre"  # seed of the login form's CSRF token
PUBLIC = {"/login", "/static/review.css"}

CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")


def _secret(engine, settings: Settings) -> str:
    """REVIEW_SECRET, else a random key kept in the app's own table (never in git)."""
    if settings.secret:
        return settings.secret
    with engine.begin() as conn:
        value = conn.execute(sa.select(db.state.c.value).where(db.state.c.key == "secret")).scalar()
        if not value:
            value = secrets.token_hex(32)
            conn.execute(sa.insert(db.state).values(key="secret", value=value))
        return value


def create_app(settings: Settings, engine=None) -> Sanic:
    engine = engine or db.make_engine(settings.db_url)
    db.create_tables(engine)
    secret = _secret(engine, settings)
    tz = ZoneInfo(settings.timezone)
    refresher = summary.Refresher(engine, settings.timezone, settings.refresh_seconds)
    intents = training.known_intents(settings.nlu_dir)

    app = Sanic("review", configure_logging=False)
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    app.config.FALLBACK_ERROR_FORMAT = "html"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["when"] = lambda ts: labels.when(ts, tz)
    env.filters["clock"] = lambda ts: labels.clock(ts, tz)
    env.filters["percent"] = labels.percent
    env.filters["confidence"] = labels.confidence
    env.globals.update(labels=labels, urlencode=urlencode)

    # ---- helpers ---------------------------------------------------------------------------

    def render(request: Request, name: str, status: int = 200, **ctx: Any) -> response.HTTPResponse:
        seed = request.ctx.session.nonce if request.ctx.session else request.ctx.pre_seed
        html = env.get_template(name).render(
            user=request.ctx.user, csrf=auth.csrf_token(secret, seed) if seed else "",
            path=request.path, **ctx)
        resp = response.html(html, status=status)
        if not request.ctx.session and request.ctx.pre_seed and request.ctx.new_pre:
            _cookie(resp, PRE_COOKIE, request.ctx.pre_seed, 3600)
        return resp

    def _cookie(resp, name: str, value: str, max_age: int) -> None:
        resp.cookies[name] = value
        resp.cookies[name]["httponly"] = True
        resp.cookies[name]["samesite"] = "Strict"
        resp.cookies[name]["path"] = "/"
        resp.cookies[name]["max-age"] = max_age
        if settings.secure_cookies:
            resp.cookies[name]["secure"] = True

    def forbidden(request: Request) -> response.HTTPResponse:
        return render(request, "error.html", status=403, title="Ingen tilgang",
                      message="Denne siden er bare for administratorer.")

    def not_found(request: Request) -> response.HTTPResponse:
        return render(request, "error.html", status=404, title="Fant ikke samtalen",
                      message="Samtalen finnes ikke. Den kan være slettet.")

    def is_admin(request: Request) -> bool:
        return request.ctx.user is not None and request.ctx.user.role == "admin"

    def form(request: Request, name: str, limit: int = 2000) -> str:
        return (request.form.get(name) or "").strip()[:limit]

    def back_to_conversation(sender_id: str, anchor: str = "") -> response.HTTPResponse:
        return response.redirect("/samtale?" + urlencode({"id": sender_id}) + anchor, status=303)

    # ---- middleware ------------------------------------------------------------------------

    @app.on_request
    async def load_session(request: Request):
        request.ctx.user = None
        request.ctx.session = None
        request.ctx.new_pre = False
        request.ctx.pre_seed = request.cookies.get(PRE_COOKIE)
        s = auth.read_session(secret, request.cookies.get(SESSION_COOKIE))
        if s:
            with engine.connect() as conn:
                user = store.get_user(conn, s.user_id)
            if user and user.active and user.session_version == s.version:
                request.ctx.user, request.ctx.session = user, s
        if request.path in PUBLIC:
            if request.path == "/login" and not request.ctx.pre_seed:
                request.ctx.pre_seed, request.ctx.new_pre = secrets.token_hex(16), True
        elif request.ctx.user is None:
            if request.method == "GET":
                target = request.path + ("?" + request.query_string if request.query_string else "")
                return response.redirect("/login?" + urlencode({"neste": target}), status=303)
            return response.text("Du må logge inn.", status=401)
        if request.method == "POST":
            seed = request.ctx.session.nonce if request.ctx.session else request.ctx.pre_seed
            if not auth.csrf_ok(secret, seed, request.form.get("csrf") if request.form else None):
                return render(request, "error.html", status=403, title="Skjemaet er utløpt",
                              message="Skjemaet kunne ikke sendes. Last inn siden på nytt og prøv igjen.")

    @app.on_response
    async def security_headers(request: Request, resp):
        resp.headers["Content-Security-Policy"] = CSP
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        resp.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if request.path != "/static/review.css":
            resp.headers["Cache-Control"] = "no-store"

    @app.exception(NotFound)
    async def on_404(request: Request, exc):
        if not hasattr(request.ctx, "user"):
            return response.text("Fant ikke siden.", status=404)
        return render(request, "error.html", status=404, title="Fant ikke siden",
                      message="Siden finnes ikke.")

    # ---- login -----------------------------------------------------------------------------

    @app.get("/static/review.css")
    async def css(request: Request):
        return await response.file(HERE / "static" / "review.css", headers={"Cache-Control": "max-age=300"})

    def safe_next(value: Optional[str]) -> str:
        return value if value and value.startswith("/") and not value.startswith("//") else "/"

    @app.get("/login")
    async def login_page(request: Request):
        if request.ctx.user:
            return response.redirect("/", status=303)
        return render(request, "login.html", title="Logg inn", error=None, username="",
                      neste=safe_next(request.args.get("neste")))

    @app.post("/login")
    async def login_post(request: Request):
        username = form(request, "username", 64)
        password = request.form.get("password") or ""
        neste = safe_next(request.form.get("neste"))
        result = store.login(engine, username, password[:1000], settings.lockout_after, settings.lockout_minutes)
        if result.user is None:
            msg = (f"Kontoen er låst i {settings.lockout_minutes} minutter etter for mange feil passord. "
                   "Prøv igjen senere, eller be en administrator låse den opp."
                   if result.locked else "Feil brukernavn eller passord.")
            return render(request, "login.html", status=401 if not result.locked else 429, title="Logg inn",
                          error=msg, username=username, neste=neste)
        s = auth.new_session(result.user.id, result.user.session_version, settings.session_minutes)
        resp = response.redirect(neste, status=303)
        _cookie(resp, SESSION_COOKIE, auth.session_cookie(secret, s), settings.session_minutes * 60)
        del resp.cookies[PRE_COOKIE]
        with engine.begin() as conn:
            store.log(conn, result.user.username, "login")
        return resp

    @app.post("/logout")
    async def logout(request: Request):
        store.end_sessions(engine, request.ctx.user.id)
        resp = response.redirect("/login", status=303)
        del resp.cookies[SESSION_COOKIE]
        return resp

    # ---- list ------------------------------------------------------------------------------

    @app.get("/")
    async def conversation_list(request: Request):
        refresher.maybe_refresh()
        args = {k: request.args.get(k) or "" for k in request.args}
        f = filters.parse(args)
        try:
            page = max(1, int(args.get("side") or 1))
        except ValueError:
            page = 1
        size = settings.page_size
        page_q, count_q = filters.list_query(f, tz, size, (page - 1) * size)
        with engine.connect() as conn:
            total = conn.execute(count_q).scalar() or 0
            rows = list(conn.execute(page_q))
            marks = {}
            if rows:
                ids = [r.sender_id for r in rows]
                marks = {m.sender_id: m for m in conn.execute(
                    sa.select(db.marks).where(db.marks.c.sender_id.in_(ids)))}
        pages = max(1, math.ceil(total / size))
        return render(request, "list.html", title="Samtaler", f=f, rows=rows, marks=marks,
                      total=total, page=page, pages=pages, query=f.query_args(),
                      intents=intents, tags=store.all_tags(engine))

    # ---- one conversation ------------------------------------------------------------------

    @app.get("/samtale")
    async def conversation_page(request: Request):
        refresher.maybe_refresh()
        sender_id = (request.args.get("id") or "")[:255]
        conv = store.conversation(engine, sender_id) if sender_id else None
        if conv is None:
            return not_found(request)
        with engine.begin() as conn:
            store.log(conn, request.ctx.user.username, "open", sender_id)
        return render(request, "conversation.html", title="Samtale", c=conv, intents=intents,
                      saved=request.args.get("lagret"))

    def conversation_exists(sender_id: str) -> bool:
        if not sender_id or not db.has_events_table(engine):
            return False
        with engine.connect() as conn:
            return conn.execute(sa.select(db.events.c.id).where(db.events.c.sender_id == sender_id).limit(1)).first() is not None

    @app.post("/samtale/merk")
    async def mark(request: Request):
        sender_id = form(request, "id", 255)
        if not conversation_exists(sender_id):
            return not_found(request)
        what = form(request, "what", 20)
        if what == "reviewed":
            store.set_mark(engine, sender_id, request.ctx.user.username, reviewed=True)
        elif what == "unreviewed":
            store.set_mark(engine, sender_id, request.ctx.user.username, reviewed=False)
        elif what == "flag":
            store.set_mark(engine, sender_id, request.ctx.user.username, flagged=True)
        elif what == "unflag":
            store.set_mark(engine, sender_id, request.ctx.user.username, flagged=False)
        else:
            return response.text("Ukjent valg.", status=400)
        return back_to_conversation(sender_id, "#merking")

    @app.post("/samtale/tagg")
    async def tag(request: Request):
        sender_id = form(request, "id", 255)
        if not conversation_exists(sender_id):
            return not_found(request)
        name = " ".join(form(request, "tag", 64).split()).lower()
        if form(request, "remove", 1) == "1":
            store.remove_tag(engine, sender_id, name)
        elif name:
            store.add_tag(engine, sender_id, name, request.ctx.user.username)
        return back_to_conversation(sender_id, "#merking")

    @app.post("/samtale/notat")
    async def note(request: Request):
        sender_id = form(request, "id", 255)
        if not conversation_exists(sender_id):
            return not_found(request)
        text = form(request, "text", 2000)
        if text:
            store.add_note(engine, sender_id, text, request.ctx.user.username)
        return back_to_conversation(sender_id, "#notater")

    @app.post("/samtale/rett")
    async def correct(request: Request):
        sender_id = form(request, "id", 255)
        intent = form(request, "intent", 255)
        try:
            event_id = int(form(request, "event", 20))
        except ValueError:
            return response.text("Ugyldig melding.", status=400)
        if intent not in intents:
            return response.text("Ukjent intensjon.", status=400)
        if not store.add_correction(engine, sender_id, event_id, intent, request.ctx.user.username):
            return not_found(request)
        return response.redirect("/samtale?" + urlencode({"id": sender_id, "lagret": str(event_id)})
                                 + f"#m{event_id}", status=303)

    @app.get("/samtale/slett")
    async def delete_confirm(request: Request):
        if not is_admin(request):
            return forbidden(request)
        sender_id = (request.args.get("id") or "")[:255]
        if not conversation_exists(sender_id):
            return not_found(request)
        return render(request, "delete.html", title="Slett samtale", sender_id=sender_id)

    @app.post("/samtale/slett")
    async def delete(request: Request):
        if not is_admin(request):
            return forbidden(request)
        sender_id = form(request, "id", 255)
        if not conversation_exists(sender_id):
            return not_found(request)
        store.delete_conversation(engine, sender_id, request.ctx.user.username)
        return response.redirect("/?slettet=1", status=303)

    # ---- corrections and export ------------------------------------------------------------

    @app.get("/rettelser")
    async def corrections_page(request: Request):
        return render(request, "corrections.html", title="Rettelser",
                      rows=store.corrections_list(engine), export_file=str(settings.export_file))

    @app.post("/rettelser/angre")
    async def undo(request: Request):
        try:
            cid = int(form(request, "correction", 20))
        except ValueError:
            return response.text("Ugyldig rettelse.", status=400)
        store.undo_correction(engine, cid, request.ctx.user.username)
        target = form(request, "back", 300)
        return response.redirect(safe_next(target) if target else "/rettelser", status=303)

    @app.post("/rettelser/eksport")
    async def export(request: Request):
        if not is_admin(request):
            return forbidden(request)
        text, senders = export_corrections(engine, settings)
        with engine.begin() as conn:
            store.log(conn, request.ctx.user.username, "export", None,
                      f"{len(senders)} samtaler: " + ", ".join(sorted(senders))[:3000])
        return response.text(text, content_type="application/x-yaml; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="review_corrections.yml"'})

    # ---- overview --------------------------------------------------------------------------

    def period(request: Request):
        today = datetime.now(tz).date()
        errors = []
        d_to = filters._date((request.args.get("date_to") or "").strip(), "Til-dato", errors) or today
        d_from = filters._date((request.args.get("date_from") or "").strip(), "Fra-dato", errors) \
            or d_to - timedelta(days=29)
        if d_from > d_to:
            errors.append("Fra-dato er etter til-dato.")
            d_from = d_to - timedelta(days=29)
        if (d_to - d_from).days > 366:
            errors.append("Velg en periode på høyst ett år.")
            d_from = d_to - timedelta(days=366)
        return d_from, d_to, errors

    @app.get("/oversikt")
    async def overview_page(request: Request):
        refresher.maybe_refresh()
        d_from, d_to, errors = period(request)
        o = store.overview(engine, d_from, d_to, tz)
        return render(request, "overview.html", title="Oversikt", o=o, d_from=d_from, d_to=d_to,
                      errors=errors, charts=charts.overview_charts(o))

    @app.get("/oversikt.csv")
    async def overview_csv(request: Request):
        d_from, d_to, _ = period(request)
        o = store.overview(engine, d_from, d_to, tz)
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=";")
        w.writerow(["del", "navn", "antall"])
        for day, n in o["days"]:
            w.writerow(["samtaler per dag", day, n])
        w.writerow(["totalt", "samtaler", o["total"]])
        w.writerow(["totalt", "med «forsto ikke»", o["fallback"]])
        w.writerow(["totalt", "med overføring til menneske", o["handoff"]])
        w.writerow(["tilbakemelding", "tommel opp", o["feedback_up"]])
        w.writerow(["tilbakemelding", "tommel ned", o["feedback_down"]])
        for name, n in o["topics"]:
            w.writerow(["tema", labels.intent(name), n])
        for name, n in o["outcomes"]:
            w.writerow(["rett-sjekk", labels.outcome(name), n])
        name = f"oversikt_{d_from.isoformat()}_{d_to.isoformat()}.csv"
        return response.text("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})

    # ---- users and audit (admins) ----------------------------------------------------------

    @app.get("/brukere")
    async def users_page(request: Request):
        if not is_admin(request):
            return forbidden(request)
        return render(request, "users.html", title="Brukere", users=store.list_users(engine),
                      error=None, done=request.args.get("ok"), now=time.time())

    @app.post("/brukere")
    async def users_post(request: Request):
        if not is_admin(request):
            return forbidden(request)
        action = form(request, "action", 20)
        username = form(request, "username", 64)
        if action == "save":
            try:
                what = store.upsert_user(engine, username, form(request, "role", 20),
                                         request.form.get("password") or "")
            except ValueError as exc:
                return render(request, "users.html", status=400, title="Brukere", users=store.list_users(engine),
                              error=str(exc), done=None, now=time.time())
            with engine.begin() as conn:
                store.log(conn, request.ctx.user.username, f"user_{what}", None, username)
            return response.redirect("/brukere?ok=1", status=303)
        try:
            uid = int(form(request, "user", 20))
        except ValueError:
            return response.text("Ugyldig bruker.", status=400)
        if action == "unlock":
            store.unlock(engine, uid)
        elif action in ("deactivate", "activate"):
            if uid == request.ctx.user.id:
                return render(request, "users.html", status=400, title="Brukere", users=store.list_users(engine),
                              error="Du kan ikke slå av din egen konto.", done=None, now=time.time())
            store.set_active(engine, uid, action == "activate")
        else:
            return response.text("Ukjent valg.", status=400)
        with engine.begin() as conn:
            store.log(conn, request.ctx.user.username, f"user_{action}", None, str(uid))
        return response.redirect("/brukere?ok=1", status=303)

    @app.get("/logg")
    async def audit_page(request: Request):
        if not is_admin(request):
            return forbidden(request)
        try:
            page = max(1, int(request.args.get("side") or 1))
        except ValueError:
            page = 1
        rows, total = store.audit_page(engine, 50, (page - 1) * 50)
        return render(request, "audit.html", title="Logg", rows=rows, page=page,
                      pages=max(1, math.ceil(total / 50)))

    app.ctx.engine = engine
    app.ctx.refresher = refresher
    return app


def export_corrections(engine, settings: Settings) -> tuple:
    """Write the active corrections to settings.export_file; (YAML text, conversation ids)."""
    rows = store.corrections_list(engine, include_undone=False)
    text = training.to_yaml(((r.corrected, r.text) for r in reversed(rows)),
                            skip=training.existing_examples(settings.nlu_dir))
    settings.export_file.parent.mkdir(parents=True, exist_ok=True)
    settings.export_file.write_text(text, encoding="utf-8")
    return text, {r.sender_id for r in rows}
