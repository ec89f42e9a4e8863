"""Which web pages may open the widget's socket.io connection: WIDGET_ALLOWED_ORIGINS.

Comma-separated origins, e.g. "https://www.tromso.kommune.no,https://tromso.kommune.no".
"*" allows every origin. Unset: no Origin check (a laptop), except with ASSISTANT_ENV=production,
where the server refuses to start without the list. A browser on any other page gets HTTP 400;
clients that send no Origin (apps, tests) are not browsers and are not affected.
"""
from __future__ import annotations

import os
from typing import List, Union

from rasa.shared.exceptions import RasaException


def widget_allowed_origins() -> Union[str, List[str]]:
    raw = os.environ.get("WIDGET_ALLOWED_ORIGINS", "").strip()
    if raw == "*":
        return "*"
    origins = [o.strip().rstrip("/") for o in raw.split(",") if o.strip()]
    if not origins and os.environ.get("ASSISTANT_ENV", "").strip().lower() == "production":
        raise RasaException(
            "socket.io channel: WIDGET_ALLOWED_ORIGINS is not set. In production list the web "
            "pages that embed the widget, e.g. https://www.tromso.kommune.no"
        )
    return origins  # [] turns python-socketio's Origin check off
