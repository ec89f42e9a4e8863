"""Serve the widget bundle and the demo page with strict security headers (CSP, no cookies)."""
import argparse
import html
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from aiohttp import web

HERE = Path(__file__).resolve().parent
BUNDLE = HERE / "dist" / "barnekoordinator-widget.js"
DEMO_PAGE = HERE / "demo" / "index.html"
DEMO_CSS = HERE / "demo" / "demo.css"
DEFAULT_KOMMUNE = "Tromsø kommune"


def assistant_origins(assistant_url: str) -> str:
    """The origins the page may connect to: the assistant over HTTP(S) and WebSocket."""
    parts = urlsplit(assistant_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"assistant URL must be http(s)://host[:port], got {assistant_url!r}")
    ws = "wss" if parts.scheme == "https" else "ws"
    return f"{parts.scheme}://{parts.netloc} {ws}://{parts.netloc}"


def content_security_policy(assistant_url: str) -> str:
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            f"connect-src 'self' {assistant_origins(assistant_url)}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


def render_demo(assistant_url: str, kommune: str) -> str:
    page = DEMO_PAGE.read_text(encoding="utf-8")
    return page.replace("{{ASSISTANT_URL}}", html.escape(assistant_url, quote=True)).replace(
        "{{KOMMUNE}}", html.escape(kommune, quote=True)
    )


def create_app(assistant_url: str, kommune: str = DEFAULT_KOMMUNE) -> web.Application:
    csp = content_security_policy(assistant_url)
    demo = render_demo(assistant_url, kommune)

    @web.middleware
    async def security_headers(request: web.Request, handler):  # type: ignore[no-untyped-def]
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            response = exc
        response.headers["Content-Security-Policy"] = csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        # Kommune pages load the bundle from another origin; everything else stays here.
        response.headers["Cross-Origin-Resource-Policy"] = (
            "cross-origin" if request.path == "/barnekoordinator-widget.js" else "same-origin"
        )
        response.headers["Cache-Control"] = "no-cache"
        return response

    async def index(_: web.Request) -> web.Response:
        return web.Response(text=demo, content_type="text/html", charset="utf-8")

    async def css(_: web.Request) -> web.Response:
        return web.Response(body=DEMO_CSS.read_bytes(), content_type="text/css", charset="utf-8")

    async def bundle(_: web.Request) -> web.Response:
        if not BUNDLE.exists():
            raise web.HTTPNotFound(text="Widget bundle missing: run widget/build.sh")
        return web.Response(
            body=BUNDLE.read_bytes(), content_type="text/javascript", charset="utf-8"
        )

    async def no_favicon(_: web.Request) -> web.Response:
        return web.Response(status=204)

    async def drop_server_header(_: web.Request, response: web.StreamResponse) -> None:
        response.headers.pop("Server", None)

    app = web.Application(middlewares=[security_headers])
    app.router.add_get("/", index)
    app.router.add_get("/demo.css", css)
    app.router.add_get("/barnekoordinator-widget.js", bundle)
    app.router.add_get("/favicon.ico", no_favicon)
    app.on_response_prepare.append(drop_server_header)
    return app


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--assistant-url", default="http://localhost:5005")
    parser.add_argument("--kommune", default=DEFAULT_KOMMUNE)
    args = parser.parse_args(argv)
    app = create_app(args.assistant_url, args.kommune)
    web.run_app(app, host=args.host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
