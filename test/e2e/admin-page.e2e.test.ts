/**
 * The admin page end to end: Debian's Chromium drives the built page served by the local Forge host,
 * whose bridge calls the app's real resolver, which sends real HTTP to a node:http receiver (the host
 * routes https://siem.example.test to it). Nothing is mocked.
 */
import { ADMIN, startAppOnHost, stopAppOnHost } from './support/app-on-host'; // first: it loads dev/host
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import type { ForgeHost } from '../../dev/host';
import { expectNoAxeViolations } from './support/axe';
import { collectPageErrors, describeWithChromium, SCREENSHOT_DIR } from './support/browser';
import { startReceiver, type Receiver } from './support/receiver';
import { SAMPLE_EVENTS } from '../../dev/samples';

const NOT_ADMIN = 'someone-without-admin';
const RECEIVER_ANSWER = '{"text":"Success","code":0,"ackId":"siem-42"}';

// Browser tests drive real pages; the e2e project's own timeout is not applied per project by jest 30.
jest.setTimeout(120_000);

/** Waits (real time, up to 30 s) until the receiver has had a request beyond the first `seen`. */
const attempted = async (receiver: Receiver, seen: number): Promise<void> => {
  for (let waited = 0; receiver.requests.length <= seen; waited += 100) {
    if (waited > 30_000) throw new Error('the receiver got no request within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describeWithChromium('admin page on the local Forge host', () => {
  let browser: Browser;
  let host: ForgeHost;
  let receiver: Receiver;
  let outage: Receiver;
  let baseUrl: string;

  beforeAll(async () => {
    receiver = await startReceiver({ status: 200, body: RECEIVER_ANSWER, headers: { 'x-collector': 'siem-test' } });
    outage = await startReceiver({ status: 400, body: '{"error":"invalid token"}' });
    ({ host, baseUrl, browser } = await startAppOnHost({ 'siem.example.test': receiver.url, 'outage.example.test': outage.url }));
  });

  afterAll(async () => {
    await stopAppOnHost({ browser, host });
    await receiver?.close();
    await outage?.close();
  });

  async function openAdminPage(accountId: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${baseUrl}/resources/admin-ui/?accountId=${encodeURIComponent(accountId)}`);
    return { page, errors };
  }

  /** Every state worth a screenshot is checked by axe too: the whole page, dialogs and menus included. */
  const shot = async (page: Page, name: string) => {
    await expectNoAxeViolations(page, page.locator('body'), name);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `admin-e2e-${name}.png`), fullPage: true });
  };

  test('an admin creates a custom webhook, sends a test and finds it in the delivery log', async () => {
    const { page, errors } = await openAdminPage(ADMIN);
    await page.getByText('No webhooks yet').waitFor();
    await shot(page, 'empty');

    await page.getByRole('button', { name: 'Create webhook', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('SIEM collector');
    await dialog.getByLabel('URL', { exact: true }).fill('http://siem.example.test/collector');
    await dialog.getByRole('button', { name: 'Create webhook' }).click();

    // The server's field error is shown next to the URL field.
    const urlError = dialog.locator('[data-field-error="wh-url"]');
    await urlError.waitFor();
    expect(await urlError.innerText()).toMatch(/https/i);
    await dialog.getByText('The webhook was not saved').waitFor();
    await shot(page, 'validation');

    await dialog.getByLabel('URL', { exact: true }).fill('https://siem.example.test/collector');
    await dialog.getByRole('button', { name: 'Generate secret' }).click();
    await dialog.getByText('Copy this secret to your receiver now').waitFor();
    const secret = await dialog.getByLabel('New secret').innerText();
    expect(secret).toMatch(/^whsec_/);
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    // Created: the form's last step offers a test send; Done closes it.
    await dialog.getByTestId('created-test-step').getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByRole('row', { name: /SIEM collector/ });
    await row.waitFor();
    await row.getByText('Custom HTTPS webhook', { exact: true }).waitFor();
    await row.getByText('https://siem.example.test/collector').waitFor();
    await row.getByText('All events').waitFor();
    await row.getByText('Never delivered').waitFor(); // issue 13: nothing delivered yet (a test send is not a delivery)
    expect(await row.getByLabel('Enabled: SIEM collector').isChecked()).toBe(true);
    await shot(page, 'list');

    await row.getByRole('button', { name: /^Actions for / }).click();
    await row.getByRole('menuitem', { name: 'Send test' }).waitFor();
    await expectNoAxeViolations(page, page.locator('body'), 'actions menu open');
    await row.getByRole('menuitem', { name: 'Send test' }).click();
    const testDialog = page.getByRole('dialog');
    await testDialog.getByText('Delivered', { exact: true }).waitFor();
    expect(await testDialog.getByLabel('Request line').innerText()).toContain('POST https://siem.example.test/collector');
    expect(await testDialog.getByLabel('Response body').innerText()).toContain('siem-42');
    expect(await testDialog.getByLabel('Response headers').innerText()).toContain('x-collector: siem-test');
    const requestHeaders = await testDialog.getByLabel('Request headers').innerText();
    expect(requestHeaders).not.toContain(secret);
    await shot(page, 'test');

    // The receiver got the real request, signed with the secret the admin copied (checked by an
    // independent Standard Webhooks implementation).
    const received = receiver.requests.find((r) => r.body.includes('"test":true'));
    expect(received).toBeDefined();
    expect(received!.url).toBe('/collector');
    const signed = {
      'webhook-id': String(received!.headers['webhook-id']),
      'webhook-timestamp': String(received!.headers['webhook-timestamp']),
      'webhook-signature': String(received!.headers['webhook-signature']),
    };
    expect(() => new Webhook(secret).verify(received!.body, signed)).not.toThrow();

    await testDialog.getByRole('button', { name: 'Open delivery log' }).click();
    await host.settle();
    const deliveries = page.getByRole('table', { name: 'Deliveries' });
    await deliveries.waitFor();
    const entry = deliveries.locator('tbody > tr', { has: page.getByText('Test', { exact: true }) }).first();
    await entry.getByText('SIEM collector').waitFor();
    await entry.getByText('Delivered', { exact: true }).waitFor();
    await entry.getByRole('button', { name: 'Details' }).click();
    const inspector = page.getByRole('dialog');
    await inspector.getByRole('tab', { name: 'Response' }).click();
    expect(await inspector.getByRole('region', { name: 'Response body' }).innerText()).toContain('siem-42');
    await shot(page, 'deliveries');
    await page.keyboard.press('Escape');
    await inspector.waitFor({ state: 'detached' });

    expect(errors).toEqual([]);
    await page.close();
  });

  test('an admin sets write-only credentials, turns a webhook off, backfills and deletes it', async () => {
    const created = (await host.invoke(
      'webhooks.create',
      { kind: 'custom', name: 'Datadog logs', url: 'https://siem.example.test/datadog', events: ['*'] },
      ADMIN,
    )) as { ok: boolean };
    expect(created.ok).toBe(true);
    const { page, errors } = await openAdminPage(ADMIN);
    const row = page.getByRole('row', { name: /Datadog logs/ });
    await row.getByRole('button', { name: /^Actions for / }).click();
    await row.getByRole('menuitem', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog');

    await chooseOption(page, 'Authorization', 'Bearer token');
    await dialog.getByLabel('Bearer token').fill('tok_abcdef123456');
    await dialog.getByRole('button', { name: 'Add header' }).click();
    await dialog.getByLabel('Header 1 name').fill('Bad Header');
    await dialog.getByLabel('Header 1 value').fill('tenant-secret-value');
    await dialog.getByLabel('Sensitive').check();
    await dialog.getByRole('button', { name: 'Save' }).click();

    // The server's `headers.0.name` error is shown next to that field.
    const headerError = dialog.locator('[data-field-error="wh-header-0-name"]');
    await headerError.waitFor();
    await shot(page, 'header-validation');
    await dialog.getByLabel('Header 1 name').fill('X-Tenant');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Write-only: the scheme and a placeholder come back, never the values.
    await row.getByRole('button', { name: /^Actions for / }).click();
    await row.getByRole('menuitem', { name: 'Edit' }).click();
    await dialog.getByText('Set (Bearer)').waitFor();
    expect(await dialog.getByLabel('Header 1 name').inputValue()).toBe('X-Tenant');
    expect(await dialog.getByLabel('Header 1 value').inputValue()).toBe('');
    expect(await dialog.getByLabel('Header 1 value').getAttribute('placeholder')).toContain('•••');
    const html = await page.content();
    expect(html).not.toContain('tok_abcdef123456');
    expect(html).not.toContain('tenant-secret-value');
    await shot(page, 'edit-write-only');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    await row.getByLabel('Enabled: Datadog logs').click({ force: true });
    await row.getByText('Disabled by an admin', { exact: true }).waitFor();

    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByText('Audit log poll', { exact: true }).first().waitFor();
    await page.getByLabel('Backfill days').fill('7');
    await page.getByRole('button', { name: 'Request backfill' }).click();
    await page.getByText(/Backfill of the last 7 days requested/).waitFor();
    await shot(page, 'settings');

    await page.getByRole('tab', { name: 'Webhooks' }).click();
    await row.getByRole('button', { name: /^Actions for / }).click();
    await row.getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog');
    await confirm.getByText('Delete “Datadog logs”?').waitFor();
    await confirm.getByRole('button', { name: 'Delete webhook' }).click();
    await row.waitFor({ state: 'detached' });
    const list = (await host.invoke('webhooks.list', {}, ADMIN)) as { ok: true; data: { webhooks: { name: string }[] } };
    expect(list.data.webhooks.map((w) => w.name)).not.toContain('Datadog logs');

    expect(errors).toEqual([]);
    await page.close();
  });

  test('after an outage an admin retries a failed delivery and recovers the rest', async () => {
    const created = (await host.invoke(
      'webhooks.create',
      { kind: 'custom', name: 'Elastic ingest', url: 'https://outage.example.test/ingest', events: ['*'] },
      ADMIN,
    )) as { ok: boolean };
    expect(created.ok).toBe(true);
    const seenBefore = outage.requests.length;
    await host.fireEvent(SAMPLE_EVENTS[0]!.event);
    await host.settle();
    // While events keep coming the drain looks every few seconds (real time here): wait for the attempt.
    await attempted(outage, seenBefore);

    const { page, errors } = await openAdminPage(ADMIN);
    await page.getByRole('row', { name: /Elastic ingest/ }).getByRole('button', { name: /^Actions for / }).click();
    await page.getByRole('row', { name: /Elastic ingest/ }).getByRole('menuitem', { name: 'Deliveries' }).click();
    await chooseOption(page, 'Status', 'Failed');
    const table = page.getByRole('table', { name: 'Deliveries' });
    const failedRows = table.locator('tbody > tr[data-delivery-id]');
    await failedRows.first().getByText('Failed', { exact: true }).waitFor();
    const failedBefore = await failedRows.count();
    expect(failedBefore).toBeGreaterThanOrEqual(1);
    await failedRows.first().getByRole('button', { name: 'Details' }).click();
    const inspector = page.getByRole('dialog');
    await inspector.getByRole('tab', { name: 'Response' }).click();
    expect(await inspector.getByRole('region', { name: 'Response body' }).innerText()).toContain('invalid token');
    await shot(page, 'failed');
    await page.keyboard.press('Escape');
    await inspector.waitFor({ state: 'detached' });

    // The endpoint is fixed: retry one delivery by hand.
    outage.answer = { status: 200, body: '{"ok":true}' };
    const firstId = await failedRows.first().getAttribute('data-delivery-id');
    await failedRows.first().getByRole('button', { name: 'Retry' }).click();
    await page.getByText(`Delivery ${firstId} is queued again.`).waitFor();
    await host.settle();
    await chooseOption(page, 'Status', 'Delivered');
    await table.locator(`tr[data-delivery-id="${firstId}"]`).getByText('Delivered', { exact: true }).waitFor();

    // Another outage; then recover everything failed since yesterday at once.
    outage.answer = { status: 400, body: '{"error":"invalid token"}' };
    // A new change (the same one again would be dropped as a duplicate by the pipeline).
    const seenBeforeSecond = outage.requests.length;
    await host.fireEvent(SAMPLE_EVENTS[1]!.event);
    await host.settle();
    await attempted(outage, seenBeforeSecond);
    outage.answer = { status: 200, body: '{"ok":true}' };
    await chooseOption(page, 'Status', 'Failed');
    await failedRows.first().waitFor();
    await page.getByRole('button', { name: 'Retry all failed' }).click();
    const retryDialog = page.getByRole('dialog');
    await retryDialog.getByRole('button', { name: 'Retry failed' }).click();
    const recovered = retryDialog.getByText(/deliver(y|ies) queued again/);
    await recovered.waitFor();
    expect(await recovered.innerText()).toMatch(/^[1-9]\d* deliver(y|ies) queued again/);
    await shot(page, 'recovered');
    await retryDialog.getByRole('button', { name: 'Done' }).click();
    await retryDialog.waitFor({ state: 'detached' });
    await host.settle();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('No deliveries match these filters').waitFor();

    expect(errors).toEqual([]);
    await page.close();
  });

  test('a user who is not a site admin sees why the page is closed to them', async () => {
    const { page, errors } = await openAdminPage(NOT_ADMIN);
    await page.getByText('Only Jira site admins can manage Audit Webhooks').waitFor();
    expect(await page.getByRole('button', { name: 'Create webhook' }).count()).toBe(0);
    await shot(page, 'forbidden');
    expect(errors).toEqual([]);
    await page.close();
  });
});

/** Picks an option of an Atlaskit (react-select) Select found by its label. */
async function chooseOption(page: Page, label: string, option: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.focus();
  await input.press('ArrowDown');
  await page.getByRole('option', { name: option, exact: true }).click();
}
