/**
 * Forge web triggers and environment variables on the local host.
 *
 * Web triggers (Forge docs: manifest `webtrigger` module, "Web trigger events", web trigger runtime API):
 * - `webTrigger.getUrl(moduleKey)` of @forge/api asks Forge's GraphQL (`createWebTriggerUrl`) through
 *   `__forge_fetch__` (stargate `/graphql`); the host answers `<host url>/x1/<id>`, stable per installation
 *   and module, as Forge's is. `queryUrls` is answered too; `deleteUrl` is refused (not kept locally).
 * - A request to `/x1/<id>[/more]` runs the module's function with the documented request
 *   `{method, headers: {name: [values]}, body, path, userPath, queryParameters: {name: [values]}}` and no
 *   user, and answers what the function returns: `{statusCode, statusText?, headers?: {name: [values]},
 *   body?: string}` (dynamic), or the configured output named by `outputKey` (static). Anything else, a
 *   thrown error or a time-out is a 500, as Forge answers a result it cannot use.
 */
import { createHash } from 'node:crypto';
import type { Outcome } from './invoker';
import type { WebTriggerDef } from './manifest';
import { jsonResponse } from './responses';

export interface WebTriggerHttpRequest {
  method: string;
  /** the path the caller asked for, from /x1/ on */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface WebTriggerHttpResponse {
  status: number;
  statusText?: string;
  headers: Record<string, string[]>;
  body: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

/** Opaque like Forge's ids, stable for one installation and module. */
export function webTriggerId(installationId: string, moduleKey: string): string {
  return createHash('sha256').update(`${installationId}\n${moduleKey}`).digest('base64url').slice(0, 25);
}

export function webTriggerEvent(request: WebTriggerHttpRequest, basePath: string): Record<string, unknown> {
  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? [...value] : [value];
  }
  const queryParameters: Record<string, string[]> = {};
  for (const [name, value] of request.query) (queryParameters[name] ??= []).push(value);
  const userPath = request.path.startsWith(basePath) ? request.path.slice(basePath.length) : '';
  return { method: request.method, headers, body: request.body, path: request.path, userPath, queryParameters };
}

const SERVER_ERROR: WebTriggerHttpResponse = { status: 500, headers: { 'content-type': ['application/json'] }, body: JSON.stringify({ message: 'Internal server error' }) };

export function webTriggerMethodAllowed(method: string): boolean {
  return METHODS.includes(method);
}

/** What Forge sends back for the function's outcome. */
export function webTriggerAnswer(def: WebTriggerDef, outcome: Outcome): WebTriggerHttpResponse {
  if (outcome.kind !== 'ok' || typeof outcome.value !== 'object' || outcome.value === null) return SERVER_ERROR;
  const value = outcome.value as Record<string, unknown>;
  if (def.responseType === 'static') {
    const output = def.outputs.find((o) => o.key === value.outputKey);
    if (!output) return SERVER_ERROR;
    return { status: output.statusCode, headers: output.contentType ? { 'content-type': [output.contentType] } : {}, body: output.body ?? '' };
  }
  const status = value.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return SERVER_ERROR;
  if (value.body !== undefined && typeof value.body !== 'string') return SERVER_ERROR;
  const headers: Record<string, string[]> = {};
  if (value.headers !== undefined) {
    if (typeof value.headers !== 'object' || value.headers === null) return SERVER_ERROR;
    for (const [name, values] of Object.entries(value.headers as Record<string, unknown>)) {
      if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) return SERVER_ERROR;
      headers[name.toLowerCase()] = values as string[];
    }
  }
  return {
    status,
    ...(typeof value.statusText === 'string' ? { statusText: value.statusText } : {}),
    headers,
    body: (value.body as string | undefined) ?? '',
  };
}

/** Answers the web trigger mutations and queries of @forge/api's webTrigger, or undefined for any other GraphQL. */
export function handleWebTriggerGraphql(
  bodyText: string,
  urlOf: (moduleKey: string) => string | undefined,
  all: () => { triggerKey: string; url: string }[],
): Response | undefined {
  let body: { query?: unknown; variables?: { input?: { triggerKey?: unknown } } };
  try {
    body = JSON.parse(bodyText) as typeof body;
  } catch {
    return undefined;
  }
  const query = typeof body.query === 'string' ? body.query : '';
  if (query.includes('createWebTriggerUrl')) {
    const key = body.variables?.input?.triggerKey;
    const url = typeof key === 'string' ? urlOf(key) : undefined;
    if (!url) return jsonResponse(200, { data: null, errors: [{ message: `manifest.yml has no webtrigger module "${String(key)}"` }] });
    return jsonResponse(200, { data: { createWebTriggerUrl: { url } } });
  }
  if (query.includes('webTriggerUrlsByAppContext')) return jsonResponse(200, { data: { webTriggerUrlsByAppContext: all() } });
  if (query.includes('deleteWebTriggerUrl')) {
    return jsonResponse(200, { data: { deleteWebTriggerUrl: { success: false, message: 'the local Forge host keeps one URL per web trigger and cannot delete it' } } });
  }
  return undefined;
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `KEY=value,KEY2=value2` (FORGE_LOCAL_VARIABLES) or the lines of a file (`KEY=value`, `#` comments). */
export function parseVariables(spec: string, source: string, separator: RegExp = /,/): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const part of spec.split(separator)) {
    const item = part.trim();
    if (!item || item.startsWith('#')) continue;
    const eq = item.indexOf('=');
    const name = eq > 0 ? item.slice(0, eq).trim() : '';
    if (!VARIABLE_NAME.test(name)) throw new Error(`${source}: "${item.slice(0, 40)}" is not NAME=value (a name of letters, digits and _)`);
    variables[name] = item.slice(eq + 1).trim();
  }
  return variables;
}

/** Sets the app's variables in process.env (the app's functions run in this process); answers the undo. */
export function applyVariables(variables: Record<string, string>): () => void {
  const previous = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(variables)) {
    if (!VARIABLE_NAME.test(name)) throw new Error(`Forge local host: "${name}" is not a Forge variable name`);
    previous.set(name, process.env[name]);
    process.env[name] = value;
  }
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    previous.clear();
  };
}
