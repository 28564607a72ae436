import { kvsSnapshot, startAdminHttp, type AdminHttp, type Envelope } from './support/admin-http';
import { ADMIN_FUNCTION_KEYS } from '../../src/contract';
import { flush } from './support/delivery-bed';

/**
 * Acceptance (issue 9): only the admin functions of the contract (18 today) reach the app's handlers. @forge/resolver looks a
 * key up with `key in functions`, which reaches Object.prototype, so "constructor" once answered anyone
 * with the payload and the invocation context (cloud id, installation) echoed back. Every other key,
 * including every Object.prototype member and other spellings of the real keys, answers the app's
 * NOT_FOUND envelope, to admins and non-admins alike, echoing nothing, and changing nothing.
 */

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype);
const OTHER_KEYS = [
  'webhooks.nope',
  'WEBHOOKS.LIST',
  'webhooks.list ',
  ' webhooks.list',
  'webhooks',
  'webhooks.list.constructor',
  'webhooks.list\u200b',
  'prototype',
  'functions',
  'define',
  'getFunction',
  'getDefinitions',
  'sanitizeObject',
  'call',
  'apply',
  'bind',
  'length',
  'name',
  '0',
];
const KEYS = [...new Set([...PROTOTYPE_KEYS, ...OTHER_KEYS])];
const CALLERS: [string, string | null][] = [
  ['an admin', 'local-admin'],
  ['a non-admin', 'someone-else'],
  ['nobody (no account)', null],
];
const MARKER = 'payload-marker-3f9a';

describe('admin resolver over HTTP: unknown function keys', () => {
  let api: AdminHttp;
  let context: Record<string, unknown>;

  beforeAll(async () => {
    api = await startAdminHttp(['siem.example.test']);
    await api.data('webhooks.create', { kind: 'custom', name: 'SIEM', url: 'https://siem.example.test/hook', events: ['*'] });
    await flush(api.bed.host);
    context = (await (await fetch(`${api.baseUrl}/__forge/context`)).json()) as Record<string, unknown>;
  });
  afterAll(() => api.close());
  beforeEach(() => api.bed.host.advance(61));

  it('covers the keys of the issue', () => {
    expect(KEYS).toEqual(expect.arrayContaining(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__']));
  });

  it.each(KEYS.flatMap((key) => CALLERS.map(([who, accountId]) => ({ key, who, accountId }))))('$key from $who answers NOT_FOUND, echoing nothing', async ({ key, accountId }) => {
    const before = await kvsSnapshot();
    const { status, json } = await api.post({
      functionKey: key,
      payload: { marker: MARKER, id: 'wh_x', kind: 'custom', name: MARKER, url: 'https://siem.example.test/x', events: ['*'] },
      ...(accountId === null ? {} : { accountId }),
    });
    expect(status).toBe(200);
    const result = (json as { result: Envelope }).result;
    expect(result).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'The app has no admin function by this name. Reload the admin page (it may be older than the installed app); docs/admin-api.md lists the functions.' },
    });
    const text = JSON.stringify(json);
    expect(text).not.toContain(MARKER);
    for (const value of Object.values(context)) if (typeof value === 'string' && value.length > 6) expect(text).not.toContain(value);
    expect(text).not.toMatch(/cloudId|installation|accountId|localId|siteUrl/);
    expect(await kvsSnapshot()).toEqual(before);
  });

  it("the contract's functions still answer (webhooks.list as admin, FORBIDDEN to a non-admin)", async () => {
    const list = await api.invoke<{ webhooks: unknown[] }>('webhooks.list', {});
    expect(list.ok && list.data.webhooks).toHaveLength(1);
    const forbidden = await api.invoke('webhooks.list', {}, 'someone-else');
    expect(forbidden.ok ? 'ok' : forbidden.error.code).toBe('FORBIDDEN');
    // Every contract key reaches its handler (FORBIDDEN, not NOT_FOUND), events.setAside included.
    expect(ADMIN_FUNCTION_KEYS).toHaveLength(21);
    expect(ADMIN_FUNCTION_KEYS).toContain('events.setAside');
    for (const key of ADMIN_FUNCTION_KEYS) {
      const answer = await api.invoke(key, {}, 'someone-else');
      expect({ key, code: answer.ok ? 'ok' : answer.error.code }).toEqual({ key, code: 'FORBIDDEN' });
    }
    const setAside = await api.invoke<{ entries: unknown[] }>('events.setAside', {});
    expect(setAside).toEqual({ ok: true, data: { entries: [] } });
  });
});
