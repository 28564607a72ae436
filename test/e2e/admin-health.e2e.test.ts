/**
 * Issue 13 in the admin page: the health banner (how many webhooks are failing or disabled by the app,
 * which, a button to show them), the sentence-case lozenges (Never delivered, Healthy, Failing, Disabled
 * by the app, Disabled by an admin) and "Re-enable and recover what was missed". Chromium drives the built
 * page on the local Forge host; receivers answer 400 to everything and 410; nothing is mocked.
 */
import { ADMIN, startAppOnHost, stopAppOnHost } from './support/app-on-host'; // first: it loads dev/host
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ForgeHost } from '../../dev/host';
import type { AdminOutput } from '../../src/contract';
import { collectPageErrors, describeWithChromium, SCREENSHOT_DIR } from './support/browser';
import { axeViolations, expectNoAxeViolations } from './support/axe';
import { startReceiver, type Receiver } from './support/receiver';
import { issueCreatedEvent } from '../integration/support/jira-events';

jest.setTimeout(120_000);

type WebhookView = AdminOutput<'webhooks.get'>['webhook'];

describeWithChromium('admin page: health banner and lozenges', () => {
  let browser: Browser;
  let host: ForgeHost;
  let baseUrl: string;
  let refusing: Receiver;
  let gone: Receiver;

  beforeAll(async () => {
    refusing = await startReceiver({ status: 400, body: '{"error":"bad request"}' });
    gone = await startReceiver({ status: 410, body: 'gone' });
    ({ host, baseUrl, browser } = await startAppOnHost({ 'refusing.example.test': refusing.url, 'gone.example.test': gone.url }));
  });

  afterAll(async () => {
    await stopAppOnHost({ browser, host });
    await refusing?.close();
    await gone?.close();
  });

  const admin = async <T,>(key: string, payload: unknown): Promise<T> => {
    const answer = (await host.invoke(key, payload, ADMIN)) as { ok: boolean; data?: T; error?: unknown };
    if (!answer.ok) throw new Error(`${key}: ${JSON.stringify(answer.error)}`);
    return answer.data as T;
  };
  const create = async (name: string, url: string, events: string[]): Promise<WebhookView> =>
    (await admin<{ webhook: WebhookView }>('webhooks.create', { kind: 'custom', name, url, events })).webhook;
  const stateOf = async (id: string): Promise<string> => (await admin<{ webhook: WebhookView }>('webhooks.get', { id })).webhook.health.state;
  const waitForState = async (id: string, state: string): Promise<void> => {
    for (let waited = 0; (await stateOf(id)) !== state; waited += 200) {
      if (waited > 40_000) throw new Error(`webhook ${id} did not turn ${state} within 40 s (is ${await stateOf(id)})`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  /** Every state worth a screenshot is checked by axe too: the whole page, dialogs and menus included. */
  const shot = async (page: Page, name: string) => {
    await expectNoAxeViolations(page, page.locator('body'), name);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `admin-e2e-health-${name}.png`), fullPage: true });
  };

  test('the banner names the failing and app-disabled webhooks; lozenges in sentence case; re-enable and recover in one action; axe finds nothing', async () => {
    const refused = await create('Refusing SIEM', 'https://refusing.example.test/hook', ['issue.created']);
    const goneHook = await create('Gone SIEM', 'https://gone.example.test/hook', ['issue.created']);
    const fresh = await create('Fresh SIEM', 'https://refusing.example.test/fresh', ['project.created']);
    const switchedOff = await create('Paused SIEM', 'https://refusing.example.test/paused', ['project.created']);
    await admin('webhooks.update', { id: switchedOff.id, version: switchedOff.version, enabled: false });

    // Three events: the refusing receiver's three 400s make it failing; the first 410 disables the other.
    for (const n of [1, 2, 3]) await host.fireEvent(issueCreatedEvent({ id: String(40000 + n), key: `SEC-${n}`, summary: `Health ${n}` }));
    await waitForState(refused.id, 'failing');
    await waitForState(goneHook.id, 'disabled');

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${baseUrl}/resources/admin-ui/?accountId=${encodeURIComponent(ADMIN)}`);
    const banner = page.getByTestId('health-banner');
    await banner.waitFor();
    expect(await banner.innerText()).toContain('1 webhook failing, 1 webhook disabled by the app');
    expect(await banner.innerText()).toContain('Refusing SIEM');
    expect(await banner.innerText()).toContain('Gone SIEM');
    expect(await banner.innerText()).not.toContain('Paused SIEM');

    const table = page.getByRole('table', { name: 'Webhooks' });
    const rowText = async (id: string) => page.getByTestId(`webhook-row-${id}`).innerText();
    expect(await rowText(refused.id)).toContain('Failing');
    expect(await rowText(goneHook.id)).toContain('Disabled by the app');
    expect(await rowText(goneHook.id)).toMatch(/410/);
    expect(await rowText(fresh.id)).toContain('Never delivered');
    expect(await rowText(switchedOff.id)).toContain('Disabled by an admin');
    expect(await rowText(switchedOff.id)).toContain(`by ${ADMIN}`);
    await shot(page, 'banner');

    expect(await axeViolations(page, banner)).toEqual([]);
    expect(await axeViolations(page, table)).toEqual([]);

    await banner.getByRole('button', { name: /show them/i }).click();

    // The receiver is back: re-enable and recover re-sends the three events the 410 cost.
    gone.answer = { status: 200, body: '{}' };
    const before = gone.requests.length;
    await banner.getByRole('button', { name: /Re-enable Gone SIEM and recover/ }).click();
    const outcome = page.getByTestId('health-recover-outcome');
    await outcome.waitFor();
    expect(await outcome.innerText()).toMatch(/“Gone SIEM” re-enabled/);
    expect(await outcome.innerText()).toMatch(/3 deliveries queued/);
    await page.getByTestId(`webhook-row-${goneHook.id}`).getByText('Never delivered').waitFor();
    expect(await banner.innerText()).not.toContain('Gone SIEM');
    await waitForState(goneHook.id, 'healthy');
    expect(gone.requests.length - before).toBe(3);
    expect(await axeViolations(page, page.locator('main'))).toEqual([]);
    await shot(page, 'recovered');

    expect(errors).toEqual([]);
    await page.close();
  });
});
