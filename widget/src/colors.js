// Contrast maths (WCAG 2.1 relative luminance) so a kommune colour never gives unreadable text.

export function parseHex(value) {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(value || "").trim());
  if (!m) return null;
  let hex = m[1];
  if (hex.length === 3) hex = hex.split("").map((c) => c + c).join("");
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

function luminance([r, g, b]) {
  const lin = (c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

export function toHex(rgb) {
  return `#${rgb.map((c) => Math.max(0, Math.min(255, Math.round(c))).toString(16).padStart(2, "0")).join("")}`;
}

export function darken(rgb, factor) {
  return rgb.map((c) => c * (1 - factor));
}

const WHITE = [255, 255, 255];
// The assistant's bubble colour; links in it use the primary colour.
export const BUBBLE = [238, 241, 244];
export const DEFAULT_PRIMARY = "#005a9c";

// The primary colour carries white text and is the link colour on the light bubble, so it must
// reach 4.5:1 against both; otherwise the default colour is used.
export function palette(requested) {
  let rgb = parseHex(requested);
  if (!rgb || contrast(rgb, BUBBLE) < 4.5) {
    if (requested) console.warn(`barnekoordinator-widget: colour ${requested} gives too little contrast on white; using ${DEFAULT_PRIMARY}`);
    rgb = parseHex(DEFAULT_PRIMARY);
  }
  return {
    primary: toHex(rgb),
    primaryDark: toHex(darken(rgb, 0.25)),
    onPrimary: toHex(WHITE),
    link: toHex(rgb),
  };
}
