"""Server-rendered SVG bar charts for the overview page (no script, no third-party library)."""
from __future__ import annotations

from typing import Dict, List, Sequence, Tuple

from markupsafe import Markup, escape

from review import labels

BAR = "#1d5a8e"      # 7.0:1 on white
BAR_ALT = "#8a3b12"  # 7.3:1 on white
TEXT = "#1a1a1a"


def _nice_max(value: int) -> int:
    if value <= 5:
        return max(1, value)
    step = 10 ** (len(str(value)) - 1)
    return ((value + step - 1) // step) * step


def columns(data: Sequence[Tuple[str, int]], title_id: str, width: int = 640, height: int = 200) -> Markup:
    """Vertical bars, e.g. conversations per day. Labels every few bars so they stay readable."""
    n = max(1, len(data))
    top = _nice_max(max([v for _, v in data] or [0]))
    left, bottom, pad = 36, 28, 8
    inner_w, inner_h = width - left - pad, height - bottom - pad
    bw = inner_w / n
    every = max(1, n // 8)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{title_id}" '
             f'focusable="false" xmlns="http://www.w3.org/2000/svg">']
    for frac in (0, 0.5, 1):
        y = pad + inner_h * (1 - frac)
        parts.append(f'<line x1="{left}" x2="{width - pad}" y1="{y:.1f}" y2="{y:.1f}" stroke="#767676" '
                     f'stroke-width="0.5"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="{TEXT}">{round(top * frac)}</text>')
    for i, (label, value) in enumerate(data):
        h = inner_h * value / top if top else 0
        x = left + i * bw
        parts.append(f'<rect x="{x + bw * 0.1:.1f}" y="{pad + inner_h - h:.1f}" width="{max(1.0, bw * 0.8):.1f}" '
                     f'height="{h:.1f}" fill="{BAR}"><title>{escape(label)}: {value}</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{x + bw / 2:.1f}" y="{height - 10}" text-anchor="middle" font-size="11" '
                         f'fill="{TEXT}">{escape(label[5:])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bars(data: Sequence[Tuple[str, int]], title_id: str, width: int = 640, color: str = BAR) -> Markup:
    """Horizontal bars with the label and the number written beside each bar."""
    row, label_w, pad = 26, 220, 8
    height = max(1, len(data)) * row + pad
    top = max([v for _, v in data] or [0]) or 1
    inner = width - label_w - 60
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{title_id}" '
             f'focusable="false" xmlns="http://www.w3.org/2000/svg">']
    for i, (label, value) in enumerate(data):
        y = pad / 2 + i * row
        w = inner * value / top
        short = label if len(label) <= 30 else label[:29].rstrip() + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" font-size="12" '
                     f'fill="{TEXT}">{escape(short)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{max(0.0, w):.1f}" height="{row - 8}" '
                     f'fill="{color}"/>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 17}" font-size="13" fill="{TEXT}">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def overview_charts(o: Dict) -> Dict[str, Markup]:
    total = o["total"]
    shares: List[Tuple[str, int]] = [("Alle samtaler", total), ("Med «forsto ikke»", o["fallback"]),
                                     ("Med overføring til menneske", o["handoff"])]
    return {
        "days": columns(o["days"], "chart-days-title"),
        "shares": bars(shares, "chart-shares-title"),
        "feedback": bars([("Tommel opp", o["feedback_up"]), ("Tommel ned", o["feedback_down"])],
                         "chart-feedback-title", color=BAR_ALT),
        "topics": bars([(labels.intent(n).replace("Tema: ", ""), v) for n, v in o["topics"]] or [("Ingen tema", 0)], "chart-topics-title"),
        "outcomes": bars([(labels.outcome(n), v) for n, v in o["outcomes"]], "chart-outcomes-title", color=BAR_ALT),
    }
