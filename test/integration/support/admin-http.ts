// app-host imports dev/host, which must load before any @forge/* package.
import { ADMIN, startTestBed, type TestBed, type TestBedOptions } from './app-host';
import { kvs } from '@forge/kvs';

/** The admin API envelope as a client sees it over HTTP (src/contract/envelope.ts). */
export type Envelope<T = unknown> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; fields?: Record<string, string> } };

export interface AdminHttp {
  bed: TestBed;
  /** http://127.0.0.1:<port> of the local Forge host. */
  baseUrl: string;
  /** POST /__forge/invoke as curl would: the raw HTTP status and parsed JSON body. */
  post(body: unknown): Promise<{ status: number; json: unknown }>;
  /** Calls one admin function over HTTP and answers its envelope; fails the test on a non-200. */
  invoke<T = unknown>(functionKey: string, payload?: unknown, accountId?: string | null): Promise<Envelope<T>>;
  /** Like invoke, but throws unless the envelope is ok. */
  data<T = unknown>(functionKey: string, payload?: unknown, accountId?: string): Promise<T>;
  /** POST to another host endpoint (/__forge/events, /__forge/settle, /__forge/clock/advance...); fails on non-200. */
  host<T = unknown>(path: string, body?: unknown): Promise<T>;
  /** Every answer invoke received this run, for leak scans. */
  answers: string[];
  close(): Promise<void>;
}

/**
 * The app on the local Forge host (manual clock) listening on an ephemeral port, called over real HTTP
 * through POST /__forge/invoke, with a real receiver per routed host (see startTestBed).
 */
export const startAdminHttp = async (hosts: string[], options: TestBedOptions = {}): Promise<AdminHttp> => {
  const bed = await startTestBed(hosts, options);
  const { url } = await bed.host.listen(0);
  const baseUrl = url.replace(/\/$/, '');
  const answers: string[] = [];
  const post = async (body: unknown): Promise<{ status: number; json: unknown }> => {
    const response = await fetch(`${baseUrl}/__forge/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    answers.push(text);
    return { status: response.status, json: JSON.parse(text) as unknown };
  };
  const invoke = async <T>(functionKey: string, payload?: unknown, accountId: string | null = ADMIN): Promise<Envelope<T>> => {
    const { status, json } = await post({ functionKey, ...(payload === undefined ? {} : { payload }), ...(accountId === null ? {} : { accountId }) });
    if (status !== 200) throw new Error(`POST /__forge/invoke ${functionKey} answered ${status}: ${JSON.stringify(json)}`);
    return (json as { result: Envelope<T> }).result;
  };
  const data = async <T>(functionKey: string, payload?: unknown, accountId?: string): Promise<T> => {
    const result = await invoke<T>(functionKey, payload, accountId);
    if (!result.ok) throw new Error(`${functionKey} failed: ${JSON.stringify(result.error)}`);
    return result.data;
  };
  const hostPost = async <T>(path: string, body: unknown = {}): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  };
  return { bed, baseUrl, post, invoke, data, host: hostPost, answers, close: () => bed.close() };
};

/** Every key and value in the app's KVS (not the secret store, which cannot be queried), key order. */
export const kvsSnapshot = async (options: { except?: (key: string) => boolean } = {}): Promise<Record<string, unknown>> => {
  const entries: Record<string, unknown> = {};
  let cursor: string | undefined;
  do {
    let query = kvs.query().limit(100);
    if (cursor) query = query.cursor(cursor);
    const page = await query.getMany<unknown>();
    for (const { key, value } of page.results) if (!options.except?.(key)) entries[key] = value;
    cursor = page.nextCursor;
  } while (cursor);
  return entries;
};

/** Reads one entry of the secret store (setSecret), e.g. webhook-secret:<id>. */
export const readSecret = async <T>(key: string): Promise<T | undefined> => kvs.getSecret<T>(key);

/** Everything written to console.* while installed, one string per call. */
export interface ConsoleCapture {
  lines: string[];
  restore(): void;
}

export const captureConsole = (): ConsoleCapture => {
  const lines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const spies = methods.map((method) =>
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((arg) => (typeof arg === 'string' ? arg : arg instanceof Error ? `${arg.name}: ${arg.message}\n${arg.stack ?? ''}` : safeJson(arg))).join(' '));
    }),
  );
  return { lines, restore: () => spies.forEach((spy) => spy.mockRestore()) };
};

const safeJson = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};

/** The webhook list as an admin sees it, for "nothing changed" comparisons. */
export const listSnapshot = async (api: AdminHttp): Promise<string> => JSON.stringify(await api.data('webhooks.list', {}));
