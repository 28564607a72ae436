/** The host's HTTP face: a thin layer over the in-process ForgeHost API (see dev/README.md). */
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { HostInputError, type ForgeHost } from './host';
import { hostPage } from './page';
import { bridgeScript, injectBridge } from './bridge-script';
import { SAMPLE_EVENTS } from './samples';
import { SLACK_AUTHORIZE_LOCAL_PATH, SLACK_AUTHORIZE_URL, SlackInputError } from './slack-standin';
import { OAUTH_STANDIN_AUTHORIZE_LOCAL_PATH, OAUTH_STANDIN_AUTHORIZE_URL, OAuthStandInError, consentPage } from './oauth-standin';
import { webTriggerMethodAllowed } from './webtrigger';

const invokeBody = z.object({ functionKey: z.string().min(1), payload: z.unknown().optional(), accountId: z.string().min(1).optional() });
const eventBody = z.looseObject({ eventType: z.string().min(1) });
/** Records are objects as Jira serves them; `id` and `created` may be left out (the stub fills them
 * in), and `created` may be any string so that a test can hand an app a malformed one. */
const auditBody = z.object({
  records: z.array(z.looseObject({ id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional() })),
});
const failBody = z.object({
  pathPrefix: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
  status: z.number().int(),
  retryAfter: z.number().nonnegative().optional(),
  times: z.number().int().positive().optional(),
  body: z.unknown().optional(),
});
const advanceBody = z.object({ seconds: z.number().nonnegative() });
const slackAuthorizeBody = z.object({ authorizeUrl: z.string().min(1), channel: z.string().min(1).optional(), allow: z.boolean().optional() });

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The largest request body the host reads (a Forge invoke payload or product event is far smaller). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Methods each fixed path answers, for 405 and `Allow`. */
const GET_PATHS = new Set([
  '/',
  '/index.html',
  '/favicon.ico',
  '/__forge/stats',
  '/__forge/app',
  '/__forge/samples',
  '/__forge/context',
  SLACK_AUTHORIZE_LOCAL_PATH,
  `${SLACK_AUTHORIZE_LOCAL_PATH}/decide`,
  OAUTH_STANDIN_AUTHORIZE_LOCAL_PATH,
  `${OAUTH_STANDIN_AUTHORIZE_LOCAL_PATH}/decide`,
]);
const POST_PATHS = new Set([
  '/__forge/invoke',
  '/__forge/events',
  '/__forge/jira/audit-records',
  '/__forge/jira/fail',
  '/__forge/clock/advance',
  '/__forge/settle',
  '/__forge/slack/authorize',
  '/__forge/oauth-standin/revoke',
]);

function allowedMethods(p: string): string | undefined {
  if (GET_PATHS.has(p) || p.startsWith('/resources/')) return 'GET, HEAD';
  if (POST_PATHS.has(p) || /^\/__forge\/scheduled\/[^/]+$/.test(p)) return 'POST';
  return undefined;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, `The path has malformed percent-encoding: ${part}`);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const text = await readText(req);
  if (!text) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'The request body is not JSON');
  }
}

async function readText(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      // Stop reading; the connection is closed after the answer so the rest is never buffered.
      req.pause();
      throw new HttpError(413, `The request body is over ${MAX_BODY_BYTES / 1024 / 1024} MiB`, { connection: 'close' });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `/x1/<id>[/more]`: runs the web trigger as Forge would, answering what it returns. */
async function serveWebTrigger(host: ForgeHost, req: http.IncomingMessage, res: http.ServerResponse, url: URL, id: string): Promise<void> {
  const moduleKey = host.webTriggerForId(id);
  if (!moduleKey) throw new HttpError(404, `No web trigger has the id ${id} in this installation`);
  const method = req.method ?? 'GET';
  if (!webTriggerMethodAllowed(method)) throw new HttpError(405, `Web triggers answer GET, POST, PUT, DELETE and PATCH, not ${method}`, { allow: 'GET, POST, PUT, DELETE, PATCH' });
  const body = await readText(req);
  const answer = await host.callWebTrigger(moduleKey, { method, path: url.pathname, query: url.searchParams, headers: req.headers, body });
  const headers: Record<string, string[]> = { ...answer.headers };
  res.writeHead(answer.status, answer.statusText, headers);
  res.end(answer.body);
}

function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

function slackStandIn(host: ForgeHost) {
  const slack = host.slack();
  if (!slack) throw new HttpError(404, 'The Slack stand-in is off (createForgeHost({ slack: false }) or FORGE_LOCAL_SLACK_APP=off)');
  return slack;
}

function parseBody<T>(schema: z.ZodType<T>, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (!r.success) throw new HttpError(400, `Invalid request: ${r.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`);
  return r.data;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function serveResource(host: ForgeHost, res: http.ServerResponse, key: string, rest: string, accountId: string | undefined): Promise<void> {
  const resource = host.appInfo().resources.find((r) => r.key === key);
  if (!resource) throw new HttpError(404, `No resource "${key}" in manifest.yml`);
  const rel = decodePathPart(rest || 'index.html');
  const file = path.resolve(resource.dir, rel);
  if (file !== resource.dir && !file.startsWith(resource.dir + path.sep)) throw new HttpError(403, 'Path escapes the resource directory');
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    if (rel === 'index.html') throw new HttpError(404, `${resource.dir}/index.html does not exist: build the Custom UI first (npm run build:ui)`);
    throw new HttpError(404, `No file ${rel} in resource ${key}`);
  }
  const ext = path.extname(file);
  res.setHeader('cache-control', 'no-store');
  if (ext === '.html') {
    const html = await readFile(file, 'utf8');
    const script = bridgeScript(host.frontendContext(accountId), {
      ...(host.slack() ? { [SLACK_AUTHORIZE_URL]: SLACK_AUTHORIZE_LOCAL_PATH } : {}),
      ...(host.oauthStandIn() ? { [OAUTH_STANDIN_AUTHORIZE_URL]: OAUTH_STANDIN_AUTHORIZE_LOCAL_PATH } : {}),
    });
    res.writeHead(200, { 'content-type': CONTENT_TYPES['.html'] ?? 'text/html' });
    res.end(injectBridge(html, script));
    return;
  }
  res.writeHead(200, { 'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream' });
  res.end(await readFile(file));
}

async function route(host: ForgeHost, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  // HEAD is answered as GET; Node's http leaves the body out.
  const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
  const p = url.pathname;
  const webTrigger = /^\/x1\/([^/]+)(?:\/.*)?$/.exec(p);
  if (webTrigger) return serveWebTrigger(host, req, res, url, decodePathPart(webTrigger[1] ?? ''));
  const allow = allowedMethods(p);
  if (allow && !allow.split(', ').includes(method)) throw new HttpError(405, `${p} answers ${allow}, not ${method}`, { allow });

  if (method === 'GET' && (p === '/' || p === '/index.html')) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(hostPage(host.appInfo(), SAMPLE_EVENTS, host.stats().clock.mode));
    return;
  }
  if (method === 'GET' && p === '/favicon.ico') {
    res.writeHead(204);
    res.end();
    return;
  }
  const resourceMatch = /^\/resources\/([^/]+)\/?(.*)$/.exec(p);
  if (method === 'GET' && resourceMatch) {
    return serveResource(host, res, decodePathPart(resourceMatch[1] ?? ''), resourceMatch[2] ?? '', url.searchParams.get('accountId') ?? undefined);
  }
  if (method === 'GET' && p === '/__forge/stats') return send(res, 200, host.stats());
  if (method === 'GET' && p === '/__forge/app') return send(res, 200, host.appInfo());
  if (method === 'GET' && p === '/__forge/samples') return send(res, 200, SAMPLE_EVENTS);
  if (method === 'GET' && p === '/__forge/context') return send(res, 200, host.frontendContext(url.searchParams.get('accountId') ?? undefined));
  if (method === 'GET' && p === SLACK_AUTHORIZE_LOCAL_PATH) {
    const page = slackStandIn(host).authorizePage(url.searchParams);
    return sendHtml(res, page.status, page.html);
  }
  if (method === 'GET' && p === `${SLACK_AUTHORIZE_LOCAL_PATH}/decide`) {
    const query = new URLSearchParams(url.searchParams);
    const allow = query.get('decision') === 'allow';
    const channel = query.get('channel') ?? undefined;
    query.delete('decision');
    query.delete('channel');
    try {
      const location = slackStandIn(host).decide(query, { allow, channel });
      res.writeHead(302, { location, 'cache-control': 'no-store' });
      res.end();
    } catch (e) {
      if (e instanceof SlackInputError) return sendHtml(res, 400, `<!doctype html><title>Slack (local stand-in)</title><p>${errorMessage(e).replace(/[<>&]/g, '')}</p>`);
      throw e;
    }
    return;
  }

  if (method === 'GET' && (p === OAUTH_STANDIN_AUTHORIZE_LOCAL_PATH || p === `${OAUTH_STANDIN_AUTHORIZE_LOCAL_PATH}/decide`)) {
    const provider = host.oauthStandIn();
    if (!provider) throw new HttpError(404, 'The OAuth stand-in provider is off (FORGE_LOCAL_OAUTH_STANDIN=off)');
    if (p === OAUTH_STANDIN_AUTHORIZE_LOCAL_PATH) {
      const page = consentPage(provider, url.searchParams);
      return sendHtml(res, page.status, page.html);
    }
    const query = new URLSearchParams(url.searchParams);
    const allow = query.get('decision') === 'allow';
    query.delete('decision');
    try {
      const location = provider.authorize(`${OAUTH_STANDIN_AUTHORIZE_URL}?${query.toString()}`, { allow });
      res.writeHead(302, { location, 'cache-control': 'no-store' });
      res.end();
    } catch (e) {
      if (e instanceof OAuthStandInError) return sendHtml(res, 400, `<!doctype html><title>OAuth provider (local stand-in)</title><p>${errorMessage(e).replace(/[<>&]/g, '')}</p>`);
      throw e;
    }
    return;
  }

  if (method !== 'POST') throw new HttpError(404, `No ${method} ${p} on the local Forge host`);
  const body = await readJson(req);
  switch (p) {
    case '/__forge/invoke': {
      const b = parseBody(invokeBody, body);
      try {
        const result = await host.invoke(b.functionKey, b.payload, b.accountId);
        return send(res, 200, { result: result ?? null });
      } catch (e) {
        return send(res, 500, { error: { message: errorMessage(e) } });
      }
    }
    case '/__forge/events':
      return send(res, 200, await host.fireEvent(parseBody(eventBody, body)));
    case '/__forge/jira/audit-records': {
      const b = parseBody(auditBody, body);
      host.addAuditRecords(b.records);
      return send(res, 200, { added: b.records.length });
    }
    case '/__forge/jira/fail': {
      const b = parseBody(failBody, body);
      const pathPrefix = b.pathPrefix ?? b.path;
      if (!pathPrefix) throw new HttpError(400, 'Invalid request: pathPrefix is required');
      host.failJira({ pathPrefix, status: b.status, retryAfter: b.retryAfter, times: b.times, body: b.body });
      return send(res, 200, { ok: true });
    }
    case '/__forge/clock/advance': {
      const b = parseBody(advanceBody, body);
      if (host.stats().clock.mode !== 'manual') throw new HttpError(409, 'The clock is real: start the host with FORGE_LOCAL_CLOCK=manual to advance it');
      const { processed } = await host.advance(b.seconds);
      return send(res, 200, { now: host.now().toISOString(), processed });
    }
    case '/__forge/settle':
      return send(res, 200, await host.settle());
    case '/__forge/oauth-standin/revoke': {
      const provider = host.oauthStandIn();
      if (!provider) throw new HttpError(404, 'The OAuth stand-in provider is off (FORGE_LOCAL_OAUTH_STANDIN=off)');
      provider.revoke();
      return send(res, 200, { revoked: true });
    }
    case '/__forge/slack/authorize': {
      const b = parseBody(slackAuthorizeBody, body);
      try {
        return send(res, 200, { redirectUrl: slackStandIn(host).authorize(b.authorizeUrl, { channel: b.channel, allow: b.allow }) });
      } catch (e) {
        if (e instanceof SlackInputError || e instanceof TypeError) throw new HttpError(400, errorMessage(e));
        throw e;
      }
    }
    default: {
      const scheduled = /^\/__forge\/scheduled\/([^/]+)$/.exec(p);
      if (scheduled) {
        const key = decodePathPart(scheduled[1] ?? '');
        if (!host.appInfo().scheduled.some((s) => s.key === key)) throw new HttpError(404, `No scheduledTrigger "${key}" in manifest.yml`);
        await host.runScheduled(key);
        return send(res, 200, { ran: key });
      }
      throw new HttpError(404, `No POST ${p} on the local Forge host`);
    }
  }
}

export async function startServer(host: ForgeHost, port: number): Promise<{ port: number; url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    route(host, req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : e instanceof HostInputError ? 400 : 500;
      const headers = e instanceof HttpError ? e.headers : {};
      if (!res.headersSent) send(res, status, { error: { message: errorMessage(e) } }, headers);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
