// Widget CSS. Lives in the shadow root, so the kommune page's CSS does not leak in or out.
// Colours are checked for at least 4.5:1 contrast (see colors.js and the browser tests).
export const CSS = `
:host { all: initial; }
* { box-sizing: border-box; }
.root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", "DejaVu Sans", Arial, sans-serif;
  font-size: max(16px, 1rem); line-height: 1.45; color: #1a1a1a; }
.sr-only { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
button, textarea { font: inherit; color: inherit; }
button { cursor: pointer; }
:focus-visible { outline: 3px solid var(--bk-focus); outline-offset: 2px; }
.launcher { position: fixed; right: 16px; bottom: 16px; z-index: 2147483000; display: inline-flex; align-items: center;
  gap: 0.5em; min-height: 48px; max-width: calc(100vw - 32px); padding: 0.6em 1.1em; border: 2px solid transparent;
  border-radius: 999px; background: var(--bk-primary); color: var(--bk-on-primary); font-weight: 600;
  box-shadow: 0 2px 8px rgba(0,0,0,.3); }
.launcher svg, .icon { width: 1.3em; height: 1.3em; flex: none; fill: currentColor; }
.launcher:hover { background: var(--bk-primary-dark); }
.panel { position: fixed; right: 16px; bottom: 16px; z-index: 2147483000; width: 390px; max-width: calc(100vw - 32px);
  height: 620px; max-height: calc(100vh - 32px); display: flex; flex-direction: column; background: #fff;
  border: 1px solid #6b6b6b; border-radius: 12px; box-shadow: 0 4px 24px rgba(0,0,0,.3); overflow: hidden; }
.panel[hidden], .launcher[hidden], [hidden] { display: none !important; }
@media (max-width: 480px), (max-height: 500px) {
  .panel { top: 0; left: 0; right: 0; bottom: 0; width: auto; height: auto; max-width: none; max-height: none;
    border-radius: 0; border: 0; }
}
.header { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25em 0.5em; padding: 0.5em 0.75em;
  background: var(--bk-primary); color: var(--bk-on-primary); }
.heading { flex: 1 1 10em; min-width: 0; }
.title { margin: 0; font-size: 1.05em; line-height: 1.3; }
.subtitle { margin: 0; font-size: 0.875em; }
.header-buttons { display: flex; flex-wrap: wrap; gap: 0.4em; }
.header button { min-height: 44px; min-width: 44px; padding: 0.3em 0.7em; border: 2px solid currentColor;
  border-radius: 8px; background: transparent; color: var(--bk-on-primary); display: inline-flex; align-items: center; gap: 0.3em; }
.header button:hover { background: var(--bk-primary-dark); }
.header :focus-visible { outline-color: var(--bk-on-primary); }
.confirm { padding: 0.6em 0.75em; background: #fff4ce; color: #1a1a1a; border-bottom: 1px solid #8a6d00; }
.confirm h3 { margin: 0 0 0.25em; font-size: 1em; }
.confirm p { margin: 0 0 0.5em; }
.confirm-buttons { display: flex; flex-wrap: wrap; gap: 0.5em; }
.confirm button { min-height: 44px; padding: 0.3em 0.9em; border: 2px solid #1a1a1a; border-radius: 8px; background: #fff; color: #1a1a1a; font-weight: 600; }
.confirm button.danger { background: #a4000f; border-color: #a4000f; color: #fff; }
.msg.info a { color: var(--bk-link); }
.status { margin: 0; padding: 0.5em 0.75em; background: #fff4ce; color: #1a1a1a; border-bottom: 1px solid #8a6d00; font-size: 0.9375em; }
.status.ok { background: #e6f4ea; border-bottom-color: #1e6b34; }
.log { flex: 1 1 auto; overflow-y: auto; padding: 0.75em; background: #fff; min-height: 3em; }
.log:focus-visible { outline-offset: -3px; }
.messages { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.5em; }
.msg { max-width: 88%; padding: 0.55em 0.8em; border-radius: 14px; overflow-wrap: anywhere; }
.msg p { margin: 0; white-space: pre-wrap; }
.msg p + p { margin-top: 0.5em; }
.msg.bot { align-self: flex-start; background: #eef1f4; color: #1a1a1a; border: 1px solid #c7ced6; border-bottom-left-radius: 4px; }
.msg.user { align-self: flex-end; background: var(--bk-primary); color: var(--bk-on-primary); border-bottom-right-radius: 4px; }
.msg.info { background: #f7f7f2; border-color: #b9b9a8; }
.msg a { color: inherit; text-decoration: underline; text-underline-offset: 2px; font-weight: 600; }
.msg.bot a { color: var(--bk-link); }
.msg.user :focus-visible { outline-color: var(--bk-on-primary); }
.pending { display: block; margin-top: 0.25em; font-size: 0.8125em; font-style: italic; }
.feedback { display: flex; align-items: center; gap: 0.4em; margin-top: 0.4em; font-size: 0.875em; }
.feedback button { min-width: 44px; min-height: 44px; padding: 0.25em; border: 1px solid #6b6b6b; border-radius: 8px;
  background: #fff; color: #1a1a1a; display: inline-flex; align-items: center; justify-content: center; }
.feedback button[aria-pressed="true"] { background: var(--bk-primary); color: var(--bk-on-primary); border-color: var(--bk-primary); }
.choices { display: flex; flex-wrap: wrap; gap: 0.5em; margin: 0.75em 0 0.25em; padding: 0; border: 0; }
.choices button { min-height: 44px; padding: 0.4em 0.9em; border: 2px solid var(--bk-primary); border-radius: 999px;
  background: #fff; color: var(--bk-link); font-weight: 600; text-align: left; }
.choices button:hover { background: #eef1f4; }
.typing { display: flex; align-items: center; gap: 0.5em; margin-top: 0.5em; color: #4a4a4a; font-size: 0.9375em; }
.dots { display: inline-flex; gap: 4px; }
.dots span { width: 8px; height: 8px; border-radius: 50%; background: #595959; animation: bk-blink 1.2s infinite ease-in-out; }
.dots span:nth-child(2) { animation-delay: .2s; } .dots span:nth-child(3) { animation-delay: .4s; }
@keyframes bk-blink { 0%, 80%, 100% { opacity: .25; } 40% { opacity: 1; } }
@media (prefers-reduced-motion: reduce) { .dots span { animation: none; } }
.composer { border-top: 1px solid #6b6b6b; padding: 0.5em 0.75em 0.6em; background: #fff; }
.composer-row { display: flex; gap: 0.5em; align-items: flex-end; }
textarea { flex: 1 1 auto; min-width: 0; min-height: 48px; max-height: 8em; resize: vertical; padding: 0.5em;
  border: 2px solid #6b6b6b; border-radius: 8px; background: #fff; }
textarea::placeholder { color: #595959; opacity: 1; }
textarea:focus-visible { border-color: var(--bk-primary); }
.send { min-height: 48px; min-width: 64px; padding: 0.4em 1em; border: 2px solid transparent; border-radius: 8px;
  background: var(--bk-primary); color: var(--bk-on-primary); font-weight: 600; }
.send:hover { background: var(--bk-primary-dark); }
.counter { margin: 0.3em 0 0; font-size: 0.8125em; color: #4a4a4a; }
.counter.near { color: #a4000f; font-weight: 600; }
@media (forced-colors: active) { .msg, .launcher, .send, .choices button { border: 1px solid CanvasText; } }
`;
