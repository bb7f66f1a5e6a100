// The status page's HTML document: inline stylesheet and script (no build step, no external
// asset), allowed by a Content-Security-Policy that names their hashes and nothing else, so even
// markup that slipped through escaping could not run a script.
//
// NOTE(refresh): a light poll, not server-sent events: the server bounds every request to 30 s
// (app.ts requestTimeout), which an event stream would have to be exempted from, and a tab left
// open would hold a connection to the daemon forever. Every REFRESH_SECONDS the script fetches
// the content fragment (GET /status/fragment) and swaps it in, keeping the scroll position; with
// scripts off, <noscript><meta refresh> reloads the whole page less often. The script pauses
// while the tab is hidden or the reader ticks "Pause automatic updates".
import { createHash } from 'node:crypto';
import { html, raw, type Html } from './html.js';

const REFRESH_SECONDS = 5;
const NOSCRIPT_REFRESH_SECONDS = 15;

const STYLE = `
:root{color-scheme:light;--fg:#1b1f23;--muted:#4a525a;--bg:#fff;--line:#c9d1d9;--ok:#0a6b2d;--warn:#7a4b00;--bad:#a4161a;--block:#6b2a8a}
*{box-sizing:border-box}body{margin:0;overflow-wrap:anywhere;font:16px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header,main{max-width:72rem;margin:0 auto;padding:0 1rem}h1{font-size:1.5rem;margin:1rem 0 .25rem}h2{font-size:1.25rem;margin:1.75rem 0 .5rem;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:1.25rem 0 .25rem}.count,.when,.updated,.method{color:var(--muted);font-size:.875rem}
table{border-collapse:collapse;width:100%;min-width:36rem}th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--line)}
thead th{background:#f3f5f7}th[scope=row]{font-weight:normal}code{font:.875rem ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}
.scroll{overflow-x:auto}.state{white-space:nowrap;font-weight:600}.reason{white-space:normal;font-weight:normal;margin:.25rem 0 0}
.st-in-sync{color:var(--ok)}.st-drifted,.st-missing,.st-skipped,.st-to-delete{color:var(--warn)}.st-failed{color:var(--bad)}.st-blocked{color:var(--block)}
ul.drift,ul.codes{margin:.25rem 0 0;padding-left:1.1rem}dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0}dt{font-weight:600}dd{margin:0}
pre{white-space:pre-wrap;background:#f3f5f7;padding:.5rem;overflow-wrap:anywhere}
.chart{display:block;max-width:100%;height:auto}.chart .axis{stroke:var(--line)}.chart .line{fill:none;stroke:#0b5cad;stroke-width:1.5}
.chart .fail{stroke:var(--bad);stroke-width:1.5;fill:none}.chart text{font-size:10px;fill:var(--muted)}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.controls{margin:.25rem 0}:focus-visible{outline:3px solid #0b5cad;outline-offset:2px}
@media (max-width:40rem){body{font-size:15px}table{min-width:0}thead{display:none}tr{display:block;border-bottom:1px solid var(--line);padding:.25rem 0}
th,td{display:block;border:0;padding:.15rem .25rem}.state{white-space:normal}}
`;

const SCRIPT = `
(function () {
  var content = document.getElementById('content');
  var controls = document.getElementById('controls');
  var pause = document.getElementById('pause');
  var note = document.getElementById('refresh-note');
  controls.hidden = false;
  setInterval(function () {
    if (pause.checked || document.hidden) return;
    fetch('status/fragment', { cache: 'no-store' }).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.text();
    }).then(function (text) {
      content.innerHTML = text;
      note.textContent = '';
    }).catch(function (err) {
      note.textContent = 'Could not refresh (' + err.message + '); trying again.';
    });
  }, ${REFRESH_SECONDS * 1000});
})();
`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The page's Content-Security-Policy: only its own inline style and script, fetches to itself. */
export const STATUS_PAGE_CSP = [`default-src 'none'`, `style-src ${hash(STYLE)}`, `script-src ${hash(SCRIPT)}`, `connect-src 'self'`,
  `base-uri 'none'`, `form-action 'none'`, `frame-ancestors 'none'`].join('; ');

/** The whole document around the content fragment. */
export function statusDocument(title: string, content: Html): Html {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><noscript><meta http-equiv="refresh" content="${NOSCRIPT_REFRESH_SECONDS}"></noscript>
<style>${raw(STYLE)}</style></head>
<body><header><h1>${title}</h1>
<p>What the daemon knows now, as <a href="status">/status</a> serves it (JSON). Updates every ${REFRESH_SECONDS} s.</p>
<p class="controls" id="controls" hidden><label><input type="checkbox" id="pause"> Pause automatic updates</label> <span id="refresh-note" role="status"></span></p></header>
<main id="content">${content}</main>
<script>${raw(SCRIPT)}</script></body></html>
`;
}
