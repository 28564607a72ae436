/** The `window.__bridge` that @forge/bridge talks to, injected into the Custom UI's index.html as
 * the first script in <head> (classic inline script, so it runs before the bundle). */

/** JSON that is safe inside an inline <script>. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * `browserRoutes` maps the start of an external URL to a path on the host (a stand-in such as Slack's
 * authorize page): `router.open` (navigate, type new-tab) opens the mapped URL in a new window, as Jira
 * opens an external link in a new tab.
 */
export function bridgeScript(context: Record<string, unknown>, browserRoutes: Record<string, string> = {}): string {
  return `<script>
(function () {
  var context = ${scriptJson(context)};
  var browserRoutes = ${scriptJson(browserRoutes)};
  function localUrl(url) {
    for (var prefix in browserRoutes) {
      if (url === prefix || url.indexOf(prefix + '?') === 0) return browserRoutes[prefix] + url.slice(prefix.length);
    }
    return url;
  }
  function post(path, body) {
    return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); });
  }
  function notify(name, payload) {
    try { window.parent.postMessage({ source: 'forge-local-bridge', name: name, payload: payload }, '*'); } catch (e) { /* no parent */ }
  }
  window.__bridge = {
    callBridge: function (name, payload) {
      switch (name) {
        case 'invoke':
          return post('/__forge/invoke', { functionKey: payload.functionKey, payload: payload.payload, accountId: context.accountId })
            .then(function (r) {
              if (!r.ok) throw new Error((r.body && r.body.error && r.body.error.message) || 'Resolver failed');
              return payload.metadata ? { body: r.body.result, metadata: {} } : r.body.result;
            });
        case 'getContext':
          return Promise.resolve(JSON.parse(JSON.stringify(context)));
        case 'navigate':
          notify(name, payload);
          if (payload && payload.type === 'new-tab' && typeof payload.url === 'string') window.open(localUrl(payload.url), '_blank');
          return Promise.resolve(undefined);
        case 'showFlag':
          // Jira draws the flag outside the app's frame (the host's page does: dev/page.ts); kept here too,
          // so a test that opens the app's resource alone can see which flags it showed.
          (window.__forgeFlags = window.__forgeFlags || []).push(JSON.parse(JSON.stringify(payload || {})));
          notify(name, payload);
          return Promise.resolve(undefined);
        case 'closeFlag':
        case 'open':
        case 'refresh':
          notify(name, payload);
          return Promise.resolve(undefined);
        case 'getFrameId':
          return Promise.resolve('forge-local-frame');
        default:
          return Promise.resolve(undefined);
      }
    }
  };
})();
</script>`;
}

/** Puts the script first in <head> (or first in the document when there is no <head>). */
export function injectBridge(html: string, script: string): string {
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head) {
    const at = head.index + head[0].length;
    return html.slice(0, at) + script + html.slice(at);
  }
  return script + html;
}
