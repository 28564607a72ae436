import { ADMIN } from './helpers/memory-ports';
import { API_KEY, AUTH, SECRET_A, created, customInput, data, expectNoSecretLeaked, failure, setup, type Suite } from './helpers/admin-suite';

/**
 * Issue 9, "Credentials bound to their origin": the saved Authorization and sensitive header values
 * were given for the saved URL's origin (scheme, host, port). An update that moves the URL elsewhere
 * must restate or clear each of them, else VALIDATION names each one and nothing changes.
 */

let suite: Suite;
beforeEach(() => {
  suite = setup(['splunk.example.com', 'siem.example.com', 'hooks.slack.com']);
});
afterEach(() => expectNoSecretLeaked(suite));

const update = (payload: Record<string, unknown>) => suite.call(suite.handlers['webhooks.update'](ADMIN, payload));
const stored = () => suite.deps.kvs.snapshot() + suite.deps.secrets.snapshot();
const config = (id: string) => suite.repository.getDeliveryConfig(id);

const SAME_PATH_NEW_HOST = 'https://siem.example.com:8443/services/collector?token=new-query-token';
const NEW_AUTH = 'Splunk 11111111-2222-3333-4444-555555555555';
const NEW_KEY = 'new-dd-api-key-fedcba9876543210';

describe('a URL on another origin', () => {
  it.each([
    ['another host', SAME_PATH_NEW_HOST],
    ['another port', 'https://splunk.example.com/services/collector?token=x'],
    ['another host, upper case', 'https://SIEM.example.com:8443/services/collector'],
  ])('(%s) with credentials left as they are is refused, naming each, and nothing changes', async (_label, url) => {
    const view = await created(suite);
    const before = stored();
    const error = failure(await update({ id: view.id, version: 1, url }));
    expect(error.code).toBe('VALIDATION');
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(['authorization', 'headers.1.value']);
    expect(error.fields?.authorization).toMatch(/^Enter the Authorization again for https:\/\/[a-z.:0-9]+, or clear it: the URL moves from https:\/\/splunk\.example\.com:8443 to https:\/\/.*only to the origin \(scheme, host and port\) it was given for\.$/);
    expect(error.fields?.['headers.1.value']).toMatch(/^Enter the value of DD-API-KEY again for https:\/\/.*, or remove the header: the URL moves from/);
    expect(error.message).toMatch(/^Fix 2 fields: /);
    expect(stored()).toBe(before);
    expect((await config(view.id))?.url).toBe(customInput.url);
  });

  it('names a sensitive header sent without value by its place in the list sent', async () => {
    const view = await created(suite);
    const error = failure(
      await update({
        id: view.id,
        version: 1,
        url: SAME_PATH_NEW_HOST,
        authorization: null,
        headers: [
          { name: 'X-Added', value: 'a' },
          { name: 'DD-API-KEY', sensitive: true },
          { name: 'X-Env', value: 'prod' },
        ],
      }),
    );
    expect(error.fields).toEqual({ 'headers.1.value': expect.stringMatching(/Enter the value of DD-API-KEY again/) });
  });

  it('succeeds with every credential restated, and stores only the new values', async () => {
    const view = await created(suite);
    const next = data(
      await update({
        id: view.id,
        version: 1,
        url: SAME_PATH_NEW_HOST,
        authorization: { type: 'raw', value: NEW_AUTH },
        headers: [
          { name: 'X-Env', value: 'prod' },
          { name: 'DD-API-KEY', value: NEW_KEY, sensitive: true },
        ],
      }),
    ).webhook;
    expect(next).toMatchObject({ version: 2, authorization: { scheme: 'Splunk' }, headers: [{ name: 'X-Env', value: 'prod' }, { name: 'DD-API-KEY', value: '•••', sensitive: true }] });
    const sent = await config(view.id);
    expect(sent).toMatchObject({ url: SAME_PATH_NEW_HOST, authorization: NEW_AUTH, headers: [{ name: 'X-Env', value: 'prod' }, { name: 'DD-API-KEY', value: NEW_KEY }] });
    expect(JSON.stringify(sent)).not.toContain(AUTH);
    expect(JSON.stringify(sent)).not.toContain(API_KEY);
    // Signing secrets stay: they are never sent.
    expect(sent?.secrets.map((s) => s.value)).toEqual([SECRET_A]);
  });

  it('succeeds with the credentials cleared or removed', async () => {
    const view = await created(suite);
    const next = data(await update({ id: view.id, version: 1, url: SAME_PATH_NEW_HOST, authorization: null, headers: [{ name: 'X-Env', value: 'prod' }] })).webhook;
    expect(next).toMatchObject({ authorization: null, headers: [{ name: 'X-Env', value: 'prod', sensitive: false }] });
    const sent = await config(view.id);
    expect(sent?.authorization).toBeUndefined();
    expect(JSON.stringify(sent)).not.toContain(API_KEY);
  });

  it('asks nothing of a webhook without credentials', async () => {
    const view = await created(suite, { kind: 'custom', name: 'Plain', url: 'https://splunk.example.com:8443/a', events: ['*'], headers: [{ name: 'X-Env', value: 'prod' }] });
    expect(data(await update({ id: view.id, version: 1, url: 'https://siem.example.com/b' })).webhook.url).toBe('https://siem.example.com/b');
  });

  it('reports only the URL when the new URL is itself wrong', async () => {
    const view = await created(suite);
    expect(Object.keys(failure(await update({ id: view.id, version: 1, url: 'https://evil.example.net/x' })).fields ?? {})).toEqual(['url']);
  });
});

describe('a URL on the same origin', () => {
  it('keeps the saved credentials: path, query and ASCII case may change', async () => {
    const view = await created(suite);
    const url = 'https://Splunk.Example.com:8443/services/collector/event?token=rotated';
    expect(data(await update({ id: view.id, version: 1, url })).webhook.version).toBe(2);
    expect(await config(view.id)).toMatchObject({ url, authorization: AUTH, headers: [{ name: 'X-Env' }, { name: 'DD-API-KEY', value: API_KEY }] });
  });

  it('keeps them when the URL is left out', async () => {
    const view = await created(suite);
    data(await update({ id: view.id, version: 1, name: 'Renamed' }));
    expect(await config(view.id)).toMatchObject({ authorization: AUTH, headers: [{ name: 'X-Env' }, { name: 'DD-API-KEY', value: API_KEY }] });
  });
});
