// Chat widget for the barnekoordinator assistant. One <script> tag, settings in data- attributes.
// Talks to Rasa's socket.io channel; keeps the conversation in sessionStorage (this tab only).
// "Slett samtalen" deletes the conversation on the server (delete_conversation) and here.
import { io } from "socket.io-client";
import { CSS as STYLES } from "./styles.js";
import { palette } from "./colors.js";
import { renderText } from "./linkify.js";
import { texts } from "./i18n.js";

const SVG_NS = "http://www.w3.org/2000/svg";
// Same breakpoint as the full-screen layout in styles.js.
const FULL_SCREEN_QUERY = "(max-width: 480px), (max-height: 500px)";
const DELETE_TIMEOUT_MS = 10000;
const ICONS = {
  chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
  close: "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4L12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z",
  restart: "M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z",
  trash: "M6 19a2 2 0 0 0 2 2h8a2 2 0 0 0 2-2V7H6v12zM19 4h-3.5l-1-1h-5l-1 1H5v2h14V4z",
  up: "M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6c-.4.4-.6.9-.6 1.4v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z",
  down: "M22 3h-4v12h4V3zM2 14a2 2 0 0 0 2 2h6.3l-1 4.6v.3c0 .4.2.8.4 1.1l1.1 1 6.6-6.6c.4-.4.6-.9.6-1.4V5a2 2 0 0 0-2-2H7c-.8 0-1.5.5-1.8 1.2l-3 7.1c-.1.2-.2.5-.2.7v2z",
};

function CSS_escape(value) {
  return window.CSS && window.CSS.escape ? window.CSS.escape(value) : value.replace(/["\\]/g, "\\$&");
}

function randomId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function readConfig(script) {
  const d = (script && script.dataset) || {};
  let origin = window.location.origin;
  try {
    if (script && script.src) origin = new URL(script.src, window.location.href).origin;
  } catch (_) {
    /* keep the page origin */
  }
  const max = parseInt(d.maxLength || "500", 10);
  return {
    assistantUrl: (d.assistantUrl || origin).replace(/\/+$/, ""),
    socketPath: d.socketPath || "/socket.io",
    kommune: (d.kommune || "").trim(),
    lang: (d.lang || "nb").toLowerCase(),
    color: d.color || "",
    maxLength: Number.isFinite(max) && max > 0 ? Math.min(max, 1000) : 500,
    title: d.title || "",
  };
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function icon(name) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "icon");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(SVG_NS, "path");
  path.setAttribute("d", ICONS[name]);
  svg.appendChild(path);
  return svg;
}

class Store {
  constructor(key) {
    this.key = key;
  }
  load() {
    try {
      const raw = window.sessionStorage.getItem(this.key);
      const data = raw ? JSON.parse(raw) : null;
      if (data && Array.isArray(data.messages)) return data;
    } catch (_) {
      /* storage blocked or corrupt: start fresh */
    }
    return { sessionId: null, open: false, draft: "", messages: [] };
  }
  save(state) {
    try {
      window.sessionStorage.setItem(this.key, JSON.stringify(state));
    } catch (_) {
      /* private mode or full: the conversation still works, it just does not survive a reload */
    }
  }
  clear() {
    try {
      window.sessionStorage.removeItem(this.key);
    } catch (_) {
      /* storage blocked: nothing was kept */
    }
  }
}

// What the server says about storage ({retention_days, privacy_url}); anything else is ignored.
function privacyInfo(data) {
  if (!data || typeof data !== "object") return null;
  const days = data.retention_days;
  if (!Number.isInteger(days) || days < 1 || days > 3650) return null;
  const url = typeof data.privacy_url === "string" && /^https?:\/\/[^\s"<>]+$/.test(data.privacy_url) ? data.privacy_url : "";
  return { days, url };
}

class ChatWidget {
  constructor(config) {
    this.config = config;
    this.t = texts(config.lang);
    this.store = new Store(`barnekoordinator-widget:${config.assistantUrl}`);
    this.state = this.store.load();
    this.socket = null;
    this.ready = false; // connected and session confirmed
    this.inFlight = null; // id of the user message waiting for the server's acknowledgement
    this.everConnected = false;
    this.announced = new Set();
  }

  mount() {
    const host = el("div", { id: "barnekoordinator-widget" });
    const colors = palette(this.config.color);
    host.style.setProperty("--bk-primary", colors.primary);
    host.style.setProperty("--bk-primary-dark", colors.primaryDark);
    host.style.setProperty("--bk-on-primary", colors.onPrimary);
    host.style.setProperty("--bk-link", colors.link);
    host.style.setProperty("--bk-focus", colors.primary);
    const root = host.attachShadow({ mode: "open" });
    this.root = root;
    if ("adoptedStyleSheets" in root && typeof CSSStyleSheet.prototype.replaceSync === "function") {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLES); // constructed sheets are not inline styles, so a strict CSP allows them
      root.adoptedStyleSheets = [sheet];
    } else {
      root.append(el("style", { text: STYLES }));
    }
    this.build(root);
    document.body.appendChild(host);
    this.renderAll();
    if (this.state.open) this.open(false);
    else if (this.hasUnsent()) this.connect();
  }

  build(root) {
    const t = this.t;
    const lang = this.config.lang === "nn" ? "nn" : "nb";
    this.launcher = el(
      "button",
      { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "bk-panel", onclick: () => this.open(true) },
      icon("chat"),
      el("span", { text: t.launcher }),
    );
    this.liveRegion = el("div", { class: "sr-only", "aria-live": "polite", "aria-atomic": "false" });
    this.statusBar = el("p", { class: "status", hidden: true });
    this.messageList = el("ol", { class: "messages" });
    this.choices = el("div", { class: "choices", role: "group", "aria-label": t.choices, hidden: true });
    this.typing = el(
      "div",
      { class: "typing", hidden: true },
      el("span", { class: "dots", "aria-hidden": "true" }, el("span"), el("span"), el("span")),
      el("span", { text: t.typing }),
    );
    this.log = el(
      "section",
      { class: "log", tabindex: "0", "aria-label": t.conversation },
      this.messageList,
      this.typing,
      this.choices,
    );
    this.input = el("textarea", {
      id: "bk-input",
      rows: "2",
      maxlength: String(this.config.maxLength),
      placeholder: t.placeholder,
      "aria-describedby": "bk-counter bk-hint",
      autocomplete: "off",
    });
    this.input.value = this.state.draft || "";
    this.input.addEventListener("input", () => this.onInput());
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    this.counter = el("p", { id: "bk-counter", class: "counter" });
    const form = el(
      "form",
      { class: "composer", onsubmit: (e) => { e.preventDefault(); this.submit(); } },
      el("label", { for: "bk-input", class: "sr-only", text: t.inputLabel }),
      el("span", { id: "bk-hint", class: "sr-only", text: t.inputHint }),
      el("div", { class: "composer-row" }, this.input, el("button", { type: "submit", class: "send", text: t.send })),
      this.counter,
    );
    const title = this.config.title || t.title;
    this.deleteButton = el(
      "button",
      { type: "button", "aria-haspopup": "dialog", onclick: () => this.askDelete() },
      icon("trash"),
      el("span", { text: t.deleteConversation }),
    );
    this.confirmYes = el("button", { type: "button", class: "danger", text: t.confirmDelete, onclick: () => this.deleteConversation() });
    this.confirmNo = el("button", { type: "button", text: t.cancel, onclick: () => this.cancelDelete() });
    this.confirmBox = el(
      "div",
      { class: "confirm", role: "alertdialog", "aria-labelledby": "bk-confirm-title", "aria-describedby": "bk-confirm-text", hidden: true },
      el("h3", { id: "bk-confirm-title", text: t.confirmDeleteTitle }),
      el("p", { id: "bk-confirm-text", text: t.confirmDeleteText }),
      el("div", { class: "confirm-buttons" }, this.confirmYes, this.confirmNo),
    );
    this.confirmBox.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation(); // Escape here cancels the question; it does not close the chat
        this.cancelDelete();
      }
    });
    this.closeButton = el(
      "button",
      { type: "button", "aria-label": t.closeLabel, onclick: () => this.close() },
      icon("close"),
      el("span", { text: t.close, "aria-hidden": "true" }),
    );
    this.panel = el(
      "div",
      { id: "bk-panel", class: "panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "bk-title", hidden: true },
      el(
        "div",
        { class: "header" },
        el(
          "div",
          { class: "heading" },
          el("h2", { id: "bk-title", class: "title", text: title }),
          el("p", { class: "subtitle", text: t.subtitle(this.config.kommune) }),
        ),
        el(
          "div",
          { class: "header-buttons" },
          el("button", { type: "button", onclick: () => this.restart() }, icon("restart"), el("span", { text: t.restart })),
          this.deleteButton,
          this.closeButton,
        ),
      ),
      this.confirmBox,
      this.statusBar,
      this.log,
      form,
    );
    this.panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        this.close();
      } else if (e.key === "Tab" && this.fullScreen.matches) {
        this.keepFocusInside(e);
      }
    });
    // On a phone (or at high zoom) the chat covers the whole page, so it behaves as a modal
    // dialog: Tab cycles inside it instead of moving to page links hidden behind it.
    this.fullScreen = window.matchMedia(FULL_SCREEN_QUERY);
    const syncModal = () => this.panel.setAttribute("aria-modal", this.fullScreen.matches ? "true" : "false");
    syncModal();
    if (this.fullScreen.addEventListener) this.fullScreen.addEventListener("change", syncModal);
    root.append(el("aside", { class: "root", lang, "aria-label": title }, this.launcher, this.panel, this.liveRegion));
    this.updateCounter();
  }

  keepFocusInside(e) {
    const focusable = Array.from(this.panel.querySelectorAll("button, textarea, a[href], [tabindex='0']")).filter(
      (node) => !node.disabled && node.getClientRects().length > 0,
    );
    if (!focusable.length) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const active = this.root.activeElement;
    if (e.shiftKey && (active === first || !this.panel.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !this.panel.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  }

  // --- state helpers -------------------------------------------------------------------

  save() {
    this.state.draft = this.input ? this.input.value : this.state.draft;
    this.store.save(this.state);
  }

  hasUnsent() {
    return this.state.messages.some((m) => (m.role === "user" && !m.done) || (m.feedback && !m.feedbackSent));
  }

  announce(text) {
    this.liveRegion.append(el("p", { text }));
    while (this.liveRegion.childNodes.length > 6) this.liveRegion.firstChild.remove();
  }

  // --- open / close --------------------------------------------------------------------

  open(moveFocus) {
    this.state.open = true;
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.launcher.setAttribute("aria-expanded", "true");
    this.save();
    this.connect();
    this.scrollToEnd();
    if (moveFocus) this.input.focus();
  }

  close() {
    this.state.open = false;
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute("aria-expanded", "false");
    this.save();
    this.launcher.focus();
  }

  restart() {
    this.state = { sessionId: null, open: true, draft: "", messages: [], privacy: this.state.privacy || null };
    this.inFlight = null;
    this.input.value = "";
    this.save();
    this.renderAll();
    this.liveRegion.textContent = "";
    this.announce(this.t.restarted);
    if (this.socket && this.socket.connected) {
      this.ready = false;
      this.socket.emit("session_request", { session_id: null });
    }
    this.input.focus();
  }

  // --- "Slett samtalen" ---------------------------------------------------------------

  askDelete() {
    this.confirmBox.hidden = false;
    this.confirmNo.focus(); // the harmless choice first; Enter on it changes nothing
  }

  cancelDelete() {
    this.confirmBox.hidden = true;
    this.deleteButton.focus();
  }

  deleteConversation() {
    this.confirmBox.hidden = true;
    const onServer = Boolean(this.state.sessionId) && this.state.messages.length > 0;
    if (!onServer) {
      this.forgetLocally();
      return;
    }
    if (!this.socket || !this.ready) {
      this.deleteFailed();
      return;
    }
    let settled = false;
    const timer = setTimeout(() => {
      if (!settled) {
        settled = true;
        this.deleteFailed();
      }
    }, DELETE_TIMEOUT_MS);
    this.socket.emit("delete_conversation", {}, (ack) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (ack && ack.ok) this.forgetLocally();
      else this.deleteFailed();
    });
  }

  forgetLocally() {
    this.store.clear();
    this.state = { sessionId: null, open: true, draft: "", messages: [], privacy: this.state.privacy || null };
    this.inFlight = null;
    this.input.value = "";
    this.updateCounter();
    this.save();
    this.renderAll();
    this.liveRegion.textContent = "";
    // The confirmation stays a few seconds, also across the new session's confirmation.
    this.statusSticky = true;
    this.showStatus(this.t.deleted, true);
    this.announce(this.t.deleted);
    setTimeout(() => {
      this.statusSticky = false;
      if (this.ready && this.statusBar.textContent === this.t.deleted) this.hideStatus();
    }, 6000);
    if (this.socket && this.socket.connected) {
      this.ready = false;
      this.socket.emit("session_request", { session_id: null });
    }
    this.input.focus();
  }

  deleteFailed() {
    this.showStatus(this.t.deleteFailed, false);
    this.announce(this.t.deleteFailed);
    this.deleteButton.focus();
  }

  // --- sending -------------------------------------------------------------------------

  onInput() {
    this.updateCounter();
    this.save();
  }

  updateCounter() {
    const n = this.input.value.length;
    const max = this.config.maxLength;
    const left = max - n;
    this.counter.textContent = this.t.counter(n, max);
    this.counter.classList.toggle("near", left <= 50);
    // Announce only at a few thresholds so screen reader users are not interrupted per key.
    for (const mark of [50, 20, 0]) {
      if (left <= mark && !this.announced.has(mark)) {
        this.announced.add(mark);
        this.announce(this.t.remaining(left));
        break;
      }
      if (left > mark) this.announced.delete(mark);
    }
  }

  submit() {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = "";
    this.updateCounter();
    this.send(text, text);
    this.input.focus();
  }

  send(display, payload) {
    this.state.messages.push({ id: randomId(), role: "user", text: display.slice(0, this.config.maxLength), payload: payload.slice(0, this.config.maxLength), done: false });
    this.save();
    this.renderAll();
    this.scrollToEnd();
    this.flush();
  }

  // Sends the oldest unsent user message (one at a time, so the order is kept) and any
  // unsent feedback. A message counts as delivered only when the server acknowledges it,
  // which the Rasa channel does after the assistant has answered.
  flush() {
    if (!this.ready || !this.socket) return;
    for (const m of this.state.messages) {
      if (m.role === "bot" && m.feedback && !m.feedbackSent && !m.feedbackPending) {
        m.feedbackPending = true;
        const value = m.feedback;
        this.socket.emit(
          "feedback",
          { session_id: this.state.sessionId, value, message_id: m.id, message_index: m.turn, message: m.groupText || m.text },
          (ack) => {
            m.feedbackPending = false;
            if (ack && ack.ok && m.feedback === value) m.feedbackSent = true;
            this.save();
          },
        );
      }
    }
    if (this.inFlight) return;
    const next = this.state.messages.find((m) => m.role === "user" && !m.done);
    if (!next) {
      this.renderTyping();
      return;
    }
    this.inFlight = next.id;
    const socket = this.socket;
    socket.emit("user_uttered", { message: next.payload, session_id: this.state.sessionId, message_id: next.id }, () => {
      if (socket !== this.socket || this.inFlight !== next.id) return;
      next.done = true;
      this.inFlight = null;
      this.save();
      this.renderAll();
      this.flush();
    });
    this.renderAll();
  }

  // --- connection ----------------------------------------------------------------------

  connect() {
    if (this.socket) return;
    const socket = io(this.config.assistantUrl, {
      path: this.config.socketPath,
      transports: ["websocket", "polling"],
      withCredentials: false,
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
    });
    this.socket = socket;
    socket.on("connect", () => {
      socket.emit("session_request", { session_id: this.state.sessionId });
    });
    socket.on("session_confirm", (sessionId) => {
      const id = typeof sessionId === "string" ? sessionId : sessionId && sessionId.session_id;
      if (this.state.sessionId && id !== this.state.sessionId) {
        // The server refused our id (for example after a restart); unsent messages still go out.
        this.state.messages.forEach((m) => { if (m.role === "bot") m.feedbackSent = true; });
      }
      this.state.sessionId = id;
      this.ready = true;
      this.save();
      if (this.wasOffline) {
        this.wasOffline = false;
        this.showStatus(this.t.online, true);
        this.announce(this.t.online);
        setTimeout(() => { if (this.ready) this.hideStatus(); }, 4000);
      } else if (!this.statusSticky) {
        this.hideStatus();
      }
      this.everConnected = true;
      this.flush();
      this.renderTyping();
    });
    socket.on("privacy_notice", (data) => {
      const info = privacyInfo(data);
      if (!info) return;
      this.state.privacy = info;
      this.save();
      this.renderAll();
    });
    socket.on("bot_uttered", (data) => this.receive(data));
    socket.on("disconnect", (reason) => {
      this.offline(this.t.offline);
      // socket.io only retries by itself when the drop was not the server's decision.
      if (reason === "io server disconnect") setTimeout(() => socket.connect(), 1000);
    });
    socket.on("connect_error", () => this.offline(this.everConnected ? this.t.offline : this.t.noContact));
  }

  offline(message) {
    this.ready = false;
    this.inFlight = null; // resent after reconnect; the server answers a resend only once
    this.state.messages.forEach((m) => { m.feedbackPending = false; });
    if (!this.wasOffline || this.statusBar.textContent !== message) {
      this.wasOffline = true;
      this.showStatus(message, false);
      this.announce(message);
    }
    this.renderAll();
  }

  showStatus(message, ok) {
    this.statusBar.textContent = message;
    this.statusBar.classList.toggle("ok", ok);
    this.statusBar.hidden = false;
  }

  hideStatus() {
    this.statusBar.hidden = true;
    this.statusBar.textContent = "";
  }

  receive(data) {
    if (!data || typeof data !== "object") return;
    const id = typeof data.id === "string" ? data.id : randomId();
    if (this.state.messages.some((m) => m.id === id)) return; // the copy a resend brings back
    const text = typeof data.text === "string" ? data.text : "";
    const raw = Array.isArray(data.quick_replies) ? data.quick_replies : Array.isArray(data.buttons) ? data.buttons : [];
    const quickReplies = raw
      .filter((b) => b && typeof b.title === "string")
      .map((b) => ({ title: b.title, payload: typeof b.payload === "string" ? b.payload : b.title }));
    if (!text && !quickReplies.length) return;
    const turn = this.state.messages.filter((m) => m.role === "user").length;
    this.state.messages.push({ id, role: "bot", text, quickReplies, turn, feedback: null });
    this.save();
    this.renderAll();
    this.scrollToEnd();
    if (text) this.announce(`${this.t.bot} ${text}`);
    if (quickReplies.length) this.announce(`${this.t.choices}: ${quickReplies.map((q) => q.title).join(", ")}.`);
  }

  // A second click on the other thumb changes the rating; the server keeps both, newest last.
  rate(message, value) {
    if (message.feedback === value) return;
    message.feedback = value;
    message.feedbackSent = false;
    this.save();
    this.renderAll();
    this.announce(this.t.thanks);
    this.flush();
  }

  // --- rendering -----------------------------------------------------------------------

  scrollToEnd() {
    this.log.scrollTop = this.log.scrollHeight;
  }

  renderTyping() {
    const waiting = this.state.messages.some((m) => m.role === "user" && !m.done);
    this.typing.hidden = !(waiting && this.ready);
  }

  renderAll() {
    // Re-rendering replaces the buttons in the log; keep keyboard focus on the same control.
    const active = this.root && this.root.activeElement;
    const focusKey = active && active.getAttribute ? active.getAttribute("data-key") : null;
    const focusWasInLog = Boolean(active && this.log.contains(active) && active !== this.log);
    this.renderLog();
    if (focusWasInLog) {
      const again = focusKey && this.log.querySelector(`[data-key="${CSS_escape(focusKey)}"]`);
      (again || this.input).focus();
    }
  }

  renderLog() {
    const t = this.t;
    const list = this.messageList;
    list.textContent = "";
    const greeting = el("li", { class: "msg bot info" }, el("span", { class: "sr-only", text: t.bot }));
    for (const line of t.greeting(this.config.kommune)) greeting.append(el("p", { text: line }));
    const privacy = this.state.privacy;
    if (privacy) {
      const notice = el("p", { class: "privacy", text: t.privacyNotice(privacy.days) });
      if (privacy.url) {
        notice.append(
          " ",
          el("a", { href: privacy.url, target: "_blank", rel: "noopener noreferrer" }, t.privacyLink, el("span", { class: "sr-only", text: ` ${t.newTab}` })),
        );
      }
      greeting.append(notice);
    }
    list.append(greeting);

    const messages = this.state.messages;
    messages.forEach((m, i) => {
      const item = el("li", { class: `msg ${m.role}` }, el("span", { class: "sr-only", text: m.role === "user" ? t.you : t.bot }));
      const p = el("p");
      p.append(renderText(document, m.text, t.newTab));
      if (m.text) item.append(p);
      if (m.role === "user" && !m.done && !this.ready) item.append(el("span", { class: "pending", text: t.notSent }));
      const next = messages[i + 1];
      if (m.role === "bot" && (!next || next.role !== "bot")) {
        // Thumbs go on the last bubble of an answer and rate the whole answer.
        let start = i;
        while (start > 0 && messages[start - 1].role === "bot") start -= 1;
        m.groupText = messages.slice(start, i + 1).map((b) => b.text).filter(Boolean).join("\n\n");
        item.append(this.feedbackBar(m));
      }
      list.append(item);
    });

    const last = messages[messages.length - 1];
    const options = !last ? t.suggestions.map((s) => ({ title: s, payload: s })) : last.role === "bot" ? last.quickReplies || [] : [];
    this.choices.textContent = "";
    for (const option of options) {
      this.choices.append(
        el("button", {
          type: "button",
          text: option.title,
          "data-key": `choice:${option.title}`,
          onclick: () => {
            this.send(option.title, option.payload);
            this.input.focus();
          },
        }),
      );
    }
    this.choices.hidden = options.length === 0;
    this.renderTyping();
  }

  feedbackBar(message) {
    const t = this.t;
    const bar = el("div", { class: "feedback", role: "group", "aria-label": t.feedbackQuestion }, el("span", { text: t.feedbackQuestion, "aria-hidden": "true" }));
    for (const [value, label] of [["up", t.helpful], ["down", t.notHelpful]]) {
      bar.append(
        el(
          "button",
          {
            type: "button",
            "aria-label": label,
            title: label,
            "aria-pressed": message.feedback === value ? "true" : "false",
            "data-key": `rate:${message.id}:${value}`,
            onclick: () => this.rate(message, value),
          },
          icon(value),
        ),
      );
    }
    return bar;
  }
}

function start() {
  const script = document.currentScript || document.querySelector("script[data-assistant-url]");
  const config = readConfig(script);
  const boot = () => {
    if (document.getElementById("barnekoordinator-widget")) return;
    window.barnekoordinatorWidget = new ChatWidget(config);
    window.barnekoordinatorWidget.mount();
  };
  if (document.body) boot();
  else document.addEventListener("DOMContentLoaded", boot);
}

start();
