// Turns message text into DOM nodes: plain text nodes plus <a> for web, e-mail and phone.
// Never parses HTML, so "<img src=x onerror=...>" stays visible characters.

const URL_RE = /https?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)\]]|www\.[^\s<>"']*[^\s<>"'.,;:!?)\]]/;
const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
// Norwegian numbers: 8 digits, grouped "90 99 17 84", "909 91 784" or not at all, with an
// optional +47. Word boundaries keep years and longer numbers out.
const PHONE_RE = /(?:\+47[ \u00a0]?)?\b(?:\d{2}[ \u00a0]?\d{2}[ \u00a0]?\d{2}[ \u00a0]?\d{2}|\d{3}[ \u00a0]?\d{2}[ \u00a0]?\d{3})\b/;
const ALL_RE = new RegExp(`(${URL_RE.source})|(${EMAIL_RE.source})|(${PHONE_RE.source})`, "g");

export function linkParts(text) {
  const parts = [];
  let last = 0;
  ALL_RE.lastIndex = 0;
  let m;
  while ((m = ALL_RE.exec(text)) !== null) {
    if (m.index > last) parts.push({ text: text.slice(last, m.index) });
    const found = m[0];
    if (m[1]) {
      parts.push({ text: found, href: found.startsWith("www.") ? `https://${found}` : found, external: true });
    } else if (m[2]) {
      parts.push({ text: found, href: `mailto:${found}` });
    } else {
      const digits = found.replace(/[^\d]/g, "");
      const local = digits.length > 8 ? digits.slice(-8) : digits;
      parts.push({ text: found, href: `tel:+47${local}` });
    }
    last = m.index + found.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

export function renderText(doc, text, newTabLabel) {
  const fragment = doc.createDocumentFragment();
  for (const part of linkParts(text)) {
    if (!part.href) {
      fragment.appendChild(doc.createTextNode(part.text));
      continue;
    }
    const a = doc.createElement("a");
    a.href = part.href;
    a.textContent = part.text;
    if (part.external) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      const hint = doc.createElement("span");
      hint.className = "sr-only";
      hint.textContent = ` ${newTabLabel}`;
      a.appendChild(hint);
    }
    fragment.appendChild(a);
  }
  return fragment;
}
