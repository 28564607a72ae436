/**
 * The delivery inspector end to end: the built admin page on the local Forge host, the app's real resolver
 * and delivery engine, and a node:http receiver the host routes https://inspect.example.test to. A failed
 * delivery is opened from the log, its request and response read on their tabs, redelivered from there
 * (and the receiver gets it again); filters narrow the log; axe finds nothing with the panel open.
 */
import { ADMIN, startAppOnHost, stopAppOnHost } from './support/app-on-host'; // first: it loads dev/host
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ForgeHost } from '../../dev/host';
import { SAMPLE_EVENTS } from '../../dev/samples';
import { axeViolations, expectNoAxeViolations as expectPageAxeClean } from './support/axe';
import { collectPageErrors, describeWithChromium, SCREENSHOT_DIR } from './support/browser';
import { startReceiver, type Receiver } from './support/receiver';

jest.setTimeout(180_000);

const REFUSAL = { status: 400, body: '{"error":"invalid token"}', headers: { 'x-receiver': 'inspector-test' } };

/** Waits (real time, up to 30 s) until the receiver has had a request beyond the first `seen`. */
const attempted = async (receiver: Receiver, seen: number): Promise<void> => {
  for (let waited = 0; receiver.requests.length <= seen; waited += 100) {
    if (waited > 30_000) throw new Error('the receiver got no request within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describeWithChromium('delivery inspector on the local Forge host', () => {
  let browser: Browser;
  let host: ForgeHost;
  let receiver: Receiver;
  let baseUrl: string;
  let webhookId: string;

  beforeAll(async () => {
    receiver = await startReceiver(REFUSAL);
    ({ host, baseUrl, browser } = await startAppOnHost({ 'inspect.example.test': receiver.url }));
    const created = (await host.invoke(
      'webhooks.create',
      { kind: 'custom', name: 'Inspected SIEM', url: 'https://inspect.example.test/hook', events: ['*'] },
      ADMIN,
    )) as { ok: boolean; data: { webhook: { id: string } } };
    expect(created.ok).toBe(true);
    webhookId = created.data.webhook.id;
    // Two events refused by the receiver (400: failed for good, no retry), and one test send.
    for (const sample of SAMPLE_EVENTS.slice(0, 2)) {
      const seen = receiver.requests.length;
      await host.fireEvent(sample.event);
      await host.settle();
      await attempted(receiver, seen);
    }
    await host.settle();
    expect(((await host.invoke('webhooks.test', { id: webhookId }, ADMIN)) as { ok: boolean }).ok).toBe(true);
  });

  afterAll(async () => {
    await stopAppOnHost({ browser, host });
    await receiver?.close();
  });

  async function openDeliveryLog(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${baseUrl}/resources/admin-ui/?accountId=${encodeURIComponent(ADMIN)}`);
    // A loaded machine (2 cores shared by browser tests) can take a while to load the page: wait for it.
    await page.getByRole('tab', { name: 'Delivery log' }).click({ timeout: 60_000 });
    await page.getByRole('table', { name: 'Deliveries' }).waitFor({ timeout: 60_000 });
    return { page, errors };
  }

  /** Every state worth a screenshot is checked by axe too: the whole page, dialogs and menus included. */
  const shot = async (page: Page, name: string) => {
    await expectPageAxeClean(page, page.locator('body'), name);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `inspector-e2e-${name}.png`), fullPage: true });
  };

  const expectNoAxeViolations = async (page: Page, name: string) => {
    const violations = await axeViolations(page, page.getByRole('dialog'));
    expect({ name, violations }).toEqual({ name, violations: [] });
  };

  test('a failed delivery: request and response one click from the log, Redeliver there sends it again', async () => {
    const { page, errors } = await openDeliveryLog();
    const table = page.getByRole('table', { name: 'Deliveries' });
    const failedRow = table
      .locator('tbody > tr[data-delivery-id]', { has: page.getByText('Failed', { exact: true }) })
      .filter({ hasNot: page.getByText('Test', { exact: true }) })
      .first();
    await failedRow.waitFor();
    // The status-code column, and a relative time with the exact time on hover.
    await failedRow.getByRole('cell', { name: '400', exact: true }).waitFor();
    expect(await failedRow.locator('td').first().locator('[title]').getAttribute('title')).toMatch(/\d{4}/);
    const deliveryId = (await failedRow.getAttribute('data-delivery-id'))!;

    // One click on the row opens the inspector.
    await failedRow.getByText('Inspected SIEM').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByText('Status code').waitFor();
    await dialog.getByRole('definition').filter({ hasText: /^400$/ }).waitFor();
    expect(await dialog.getByRole('button', { name: /^Attempt 1/ }).getAttribute('aria-pressed')).toBe('true');

    // Request tab (the default): the request as sent, headers redacted, body rebuilt from the event.
    expect(await dialog.getByLabel('Request line').innerText()).toContain('POST https://inspect.example.test/hook');
    const sent = receiver.requests.find((r) => r.headers['webhook-id'] === deliveryId);
    expect(sent).toBeDefined();
    const requestHeaders = dialog.getByRole('region', { name: 'Request headers' });
    expect(await requestHeaders.innerText()).toContain(`webhook-id: ${deliveryId}`);
    const requestBody = dialog.getByRole('region', { name: 'Request body' });
    await requestBody.getByText(/"type"/).first().waitFor();
    const shownEvent = JSON.parse(await requestBody.innerText()) as unknown;
    expect(shownEvent).toEqual(JSON.parse(sent!.body));
    await dialog.getByRole('button', { name: 'Copy request body' }).waitFor();
    await expectNoAxeViolations(page, 'request tab');
    await shot(page, 'request');

    // Response tab: what the receiver answered.
    await dialog.getByRole('tab', { name: 'Response' }).click();
    expect(await dialog.getByRole('region', { name: 'Response headers' }).innerText()).toContain('x-receiver: inspector-test');
    expect(await dialog.getByRole('region', { name: 'Response body' }).innerText()).toContain('invalid token');
    await dialog.getByRole('button', { name: 'Copy response body' }).waitFor();
    await expectNoAxeViolations(page, 'response tab');
    await shot(page, 'response');

    // The endpoint is fixed: Redeliver from the panel; the receiver gets the same message again.
    receiver.answer = { status: 200, body: '{"ok":true}' };
    const seen = receiver.requests.length;
    await dialog.getByRole('button', { name: 'Redeliver' }).click();
    await dialog.getByText('Queued for redelivery').waitFor();
    await host.settle();
    await attempted(receiver, seen);
    expect(receiver.requests.slice(seen).some((r) => r.headers['webhook-id'] === deliveryId)).toBe(true);
    receiver.answer = REFUSAL;

    // Escape closes the panel, and only the panel.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('table', { name: 'Deliveries' }).waitFor();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await table.locator(`tr[data-delivery-id="${deliveryId}"]`).getByText('Delivered', { exact: true }).waitFor();
    await table.locator(`tr[data-delivery-id="${deliveryId}"]`).getByRole('button', { name: 'Details' }).click();
    await page.getByRole('dialog').getByRole('button', { name: /^Attempt 2/ }).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

    expect(errors).toEqual([]);
    await page.close();
  });

  test('a test delivery is not offered Retry or Redeliver, and the panel says why', async () => {
    const { page, errors } = await openDeliveryLog();
    const testRow = page.getByRole('table', { name: 'Deliveries' }).locator('tbody > tr', { has: page.getByText('Test', { exact: true }) }).first();
    await testRow.waitFor();
    expect(await testRow.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await testRow.getByRole('button', { name: 'Details' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Test deliveries are not redelivered').waitFor();
    expect(await dialog.getByRole('button', { name: 'Redeliver' }).count()).toBe(0);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await page.close();
  });

  test('filters by event type, event id and date range narrow the log', async () => {
    const { page, errors } = await openDeliveryLog();
    const rows = page.getByRole('table', { name: 'Deliveries' }).locator('tbody > tr[data-delivery-id]');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(3);

    const firstType = await rows.locator('td:nth-child(3) code').first().innerText();
    const types = await rows.locator('td:nth-child(3) code').allInnerTexts();
    await page.getByLabel('Event type').fill(firstType);
    await page.waitForFunction(
      (n) => document.querySelectorAll('table[aria-label="Deliveries"] tbody > tr[data-delivery-id]').length === n,
      types.filter((t) => t === firstType).length,
    );
    expect(new Set(await rows.locator('td:nth-child(3) code').allInnerTexts())).toEqual(new Set([firstType]));
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Deliveries"] tbody > tr[data-delivery-id]').length === 3);

    // An event id: exactly its delivery.
    const id = (await rows.first().getAttribute('data-delivery-id'))!;
    const detail = (await host.invoke('deliveries.get', { id }, ADMIN)) as { ok: boolean; data: { delivery: { eventId: string } } };
    await page.getByLabel('Event id').fill(detail.data.delivery.eventId);
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Deliveries"] tbody > tr[data-delivery-id]').length === 1);
    expect(await rows.first().getAttribute('data-delivery-id')).toBe(id);
    await page.getByRole('button', { name: 'Clear filters' }).click();

    // A range that ended before anything was sent: nothing.
    await page.getByLabel('To', { exact: true }).fill('2020-01-01T00:00');
    await page.getByText('No deliveries match these filters').waitFor();
    await page.getByLabel('To', { exact: true }).fill('');
    await page.getByLabel('From', { exact: true }).fill('2020-01-01T00:00');
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Deliveries"] tbody > tr[data-delivery-id]').length === 3);
    await shot(page, 'filters');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('Retry all failed asks which webhook and says how many it queued', async () => {
    const { page, errors } = await openDeliveryLog();
    const failedBefore = (await host.invoke('deliveries.list', { webhookId, outcome: 'failed', test: false }, ADMIN)) as { data: { deliveries: unknown[] } };
    expect(failedBefore.data.deliveries.length).toBeGreaterThanOrEqual(1);
    receiver.answer = { status: 200, body: '{"ok":true}' };
    await page.getByRole('button', { name: 'Retry all failed' }).click();
    const dialog = page.getByRole('dialog');
    // One webhook: it is chosen already; the dialog still names it.
    await dialog.getByText('Inspected SIEM').waitFor();
    await expectNoAxeViolations(page, 'retry all failed');
    await dialog.getByRole('button', { name: 'Retry failed' }).click();
    const status = dialog.getByRole('status').filter({ hasText: 'queued again' });
    await status.waitFor();
    expect(await status.innerText()).toBe(`${failedBefore.data.deliveries.length === 1 ? '1 delivery' : `${failedBefore.data.deliveries.length} deliveries`} queued again.`);
    await host.settle();
    await dialog.getByRole('button', { name: 'Done' }).click();
    receiver.answer = REFUSAL;
    expect(errors).toEqual([]);
    await page.close();
  });
});
