/** GET / : a Jira-like frame around the app's jira:adminPage, with a dev panel to drive the host. */
import type { AppInfo } from './host';
import type { SampleEvent } from './samples';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function hostPage(app: AppInfo, samples: SampleEvent[], clockMode: 'real' | 'manual'): string {
  const page = app.adminPages[0];
  const resource = page?.resource ? app.resources.find((r) => r.key === page.resource) : undefined;
  const accounts = [...app.admins, 'local-user'];
  const subscribed = new Set(app.triggers.flatMap((t) => t.events));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(page?.title ?? 'Forge app')} · local Forge host</title>
<style>
  body { margin: 0; font: 14px/1.4 -apple-system, 'Segoe UI', Roboto, sans-serif; color: #172b4d; display: grid; grid-template-columns: 1fr 340px; grid-template-rows: 48px 1fr; height: 100vh; }
  header { grid-column: 1 / 3; background: #0052cc; color: #fff; display: flex; align-items: center; gap: 16px; padding: 0 16px; }
  header b { font-size: 16px; } header span { opacity: .8; }
  main { display: grid; grid-template-columns: 200px 1fr; min-height: 0; }
  nav { background: #f4f5f7; padding: 16px; border-right: 1px solid #dfe1e6; } nav div { padding: 6px 8px; border-radius: 3px; } nav .on { background: #deebff; color: #0052cc; }
  iframe { border: 0; width: 100%; height: 100%; }
  aside { border-left: 1px solid #dfe1e6; padding: 12px; overflow: auto; background: #fafbfc; }
  aside h3 { margin: 16px 0 6px; font-size: 12px; text-transform: uppercase; color: #5e6c84; }
  button { margin: 2px 2px 2px 0; padding: 4px 8px; border: 1px solid #c1c7d0; background: #fff; border-radius: 3px; cursor: pointer; font-size: 12px; }
  button:hover { background: #ebecf0; } button.off { opacity: .5; }
  pre { font-size: 11px; background: #fff; border: 1px solid #dfe1e6; padding: 6px; overflow: auto; max-height: 320px; }
  #log { max-height: 120px; }
  .empty { padding: 32px; color: #5e6c84; }
  #flags { position: fixed; left: 24px; bottom: 24px; display: flex; flex-direction: column-reverse; gap: 8px; width: 400px; z-index: 10; }
  .flag { background: #fff; color: #172b4d; border-radius: 3px; box-shadow: 0 4px 8px -2px rgba(9,30,66,.25), 0 0 1px rgba(9,30,66,.31); padding: 16px; display: grid; grid-template-columns: 1fr auto; gap: 4px 8px; }
  .flag.success { border-left: 4px solid #22a06b; } .flag.error { border-left: 4px solid #c9372c; } .flag.warning { border-left: 4px solid #e2b203; } .flag.info { border-left: 4px solid #0c66e4; }
  .flag strong { grid-column: 1; } .flag p { grid-column: 1; margin: 0; } .flag button { grid-column: 2; grid-row: 1; }
</style></head>
<body>
<header><b>Jira</b><span>Settings › Apps › Manage apps › ${esc(page?.title ?? 'Admin page')} (Configure)</span><span style="margin-left:auto">local Forge host · app ${esc(app.appId)}</span></header>
<main>
  <nav><div class="on">Manage apps</div><div>Audit log</div></nav>
  ${resource ? `<iframe id="app" title="${esc(page?.title ?? 'app')}" src="/resources/${encodeURIComponent(resource.key)}/?accountId=${encodeURIComponent(accounts[0] ?? '')}"></iframe>` : '<div class="empty">The manifest has no jira:adminPage with a Custom UI resource.</div>'}
</main>
<div id="flags" role="region" aria-label="Notifications" aria-live="polite"></div>
<aside>
  <h3>Account</h3>
  <select id="account">${accounts.map((a, i) => `<option value="${esc(a)}">${esc(a)}${i < app.admins.length ? ' (site admin)' : ' (not admin)'}</option>`).join('')}</select>
  <h3>Product events</h3>
  <div>${samples
    .map((s, i) => `<button data-sample="${i}" class="${subscribed.has(String(s.event.eventType)) ? '' : 'off'}" title="${esc(String(s.event.eventType))}">${esc(s.label)}</button>`)
    .join('')}</div>
  <h3>Scheduled triggers</h3>
  <div>${app.scheduled.map((s) => `<button data-scheduled="${esc(s.key)}">Run ${esc(s.key)} (${esc(s.interval)})</button>`).join('') || '<i>none</i>'}</div>
  <h3>Clock and queue</h3>
  <button id="settle">Settle</button>
  ${
    clockMode === 'manual'
      ? '<button data-advance="60">+1 min</button><button data-advance="300">+5 min</button><button data-advance="3600">+1 h</button><button data-advance="86400">+1 day</button>'
      : '<i>real clock: due work runs by itself</i>'
  }
  <h3>Log</h3><pre id="log"></pre>
  <h3>Stats</h3><pre id="stats"></pre>
</aside>
<script>
  var samples = ${scriptJson(samples)};
  var log = document.getElementById('log');
  function say(line) { log.textContent = new Date().toLocaleTimeString() + ' ' + line + '\\n' + log.textContent; }
  function post(path, body) {
    return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) })
      .then(function (r) { return r.json(); }).then(function (b) { say(path + ' → ' + JSON.stringify(b)); refresh(); });
  }
  document.addEventListener('click', function (e) {
    var t = e.target; if (!(t instanceof HTMLElement)) return;
    if (t.dataset.sample) post('/__forge/events', samples[Number(t.dataset.sample)].event);
    if (t.dataset.scheduled) post('/__forge/scheduled/' + encodeURIComponent(t.dataset.scheduled));
    if (t.dataset.advance) post('/__forge/clock/advance', { seconds: Number(t.dataset.advance) });
    if (t.id === 'settle') post('/__forge/settle');
  });
  var account = document.getElementById('account');
  account.addEventListener('change', function () {
    var frame = document.getElementById('app');
    if (frame) { var u = new URL(frame.src); u.searchParams.set('accountId', account.value); frame.src = u.toString(); }
  });
  // Jira shows an app's showFlag() as a flag at the bottom left of the page, outside the app's frame.
  var flags = document.getElementById('flags');
  function closeFlag(id) { var f = flags.querySelector('[data-flag-id="' + CSS.escape(String(id)) + '"]'); if (f) f.remove(); }
  function showFlag(o) {
    if (!o || o.id === undefined) return;
    closeFlag(o.id);
    var f = document.createElement('div');
    var kind = ['success', 'error', 'warning', 'info'].indexOf(o.appearance || o.type) >= 0 ? (o.appearance || o.type) : 'info';
    f.className = 'flag ' + kind; f.dataset.flagId = String(o.id); f.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    var t = document.createElement('strong'); t.textContent = String(o.title || ''); f.appendChild(t);
    var x = document.createElement('button'); x.textContent = 'Dismiss'; x.addEventListener('click', function () { f.remove(); }); f.appendChild(x);
    if (o.description) { var d = document.createElement('p'); d.textContent = String(o.description); f.appendChild(d); }
    flags.appendChild(f);
    if (o.isAutoDismiss) setTimeout(function () { f.remove(); }, 8000);
  }
  window.addEventListener('message', function (e) {
    if (!e.data || e.data.source !== 'forge-local-bridge') return;
    say('bridge ' + e.data.name + ' ' + JSON.stringify(e.data.payload || {}));
    if (e.data.name === 'showFlag') showFlag(e.data.payload);
    if (e.data.name === 'closeFlag' && e.data.payload) closeFlag(e.data.payload.id);
  });
  function refresh() { fetch('/__forge/stats').then(function (r) { return r.json(); }).then(function (s) { document.getElementById('stats').textContent = JSON.stringify(s, null, 2); }); }
  refresh(); setInterval(refresh, 2000);
</script>
</body></html>`;
}
