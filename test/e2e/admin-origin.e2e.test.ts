/**
 * Issue 9 in the admin page: an admin who moves a webhook to another host, while it has a saved
 * Authorization and a sensitive header, sees why the save was refused next to each of them (the API's
 * own messages), restates them, and the webhook saves. Chromium drives the built page on the local host.
 */
import { ADMIN, startAppOnHost, stopAppOnHost } from './support/app-on-host'; // first: it loads dev/host
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { ForgeHost } from '../../dev/host';
import { expectNoAxeViolations } from './support/axe';
import { collectPageErrors, describeWithChromium, SCREENSHOT_DIR } from './support/browser';
import { startReceiver, type Receiver } from './support/receiver';

jest.setTimeout(120_000);

describeWithChromium('admin page: credentials stay with their origin', () => {
  let browser: Browser;
  let host: ForgeHost;
  let oldReceiver: Receiver;
  let newReceiver: Receiver;
  let baseUrl: string;

  beforeAll(async () => {
    oldReceiver = await startReceiver({ status: 200, body: 'ok' });
    newReceiver = await startReceiver({ status: 200, body: 'ok' });
    ({ host, baseUrl, browser } = await startAppOnHost({ 'siem.example.test': oldReceiver.url, 'collector.example.test': newReceiver.url }));
  });

  afterAll(async () => {
    await stopAppOnHost({ browser, host });
    await oldReceiver?.close();
    await newReceiver?.close();
  });

  test('moving the URL to another host asks for the Authorization and sensitive header again, next to each', async () => {
    const created = (await host.invoke(
      'webhooks.create',
      {
        kind: 'custom',
        name: 'Moving SIEM',
        url: 'https://siem.example.test/ingest',
        events: ['*'],
        authorization: { type: 'bearer', token: 'old_token_0123456789' },
        headers: [{ name: 'X-Api-Key', value: 'old-key-0123456789' }],
      },
      ADMIN,
    )) as { ok: boolean };
    expect(created.ok).toBe(true);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${baseUrl}/resources/admin-ui/?accountId=${ADMIN}`);
    const row = page.getByRole('row', { name: /Moving SIEM/ });
    await row.getByRole('button', { name: /^Actions for / }).click();
    await expectNoAxeViolations(page, page.locator('main'), 'actions menu open');
    await row.getByRole('menuitem', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/A new host or port needs the Authorization and sensitive header values entered again/).waitFor();
    await expectNoAxeViolations(page, dialog, 'edit form');

    await dialog.getByLabel('URL', { exact: true }).fill('https://collector.example.test/ingest');
    await dialog.getByRole('button', { name: 'Save' }).click();

    const authError = dialog.locator('[data-field-error="wh-auth"]');
    await authError.waitFor();
    expect(await authError.innerText()).toMatch(/Enter the Authorization again for https:\/\/collector\.example\.test, or clear it: the URL moves from https:\/\/siem\.example\.test/);
    const headerError = dialog.locator('[data-field-error="wh-header-0-value"]');
    expect(await headerError.innerText()).toMatch(/Enter the value of X-Api-Key again for https:\/\/collector\.example\.test, or remove the header/);
    await dialog.getByText('The webhook was not saved').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'admin-e2e-origin-refused.png'), fullPage: true });
    await expectNoAxeViolations(page, dialog, 'credentials asked again');

    await dialog.getByRole('button', { name: 'Replace' }).click();
    const input = page.getByLabel('Authorization', { exact: true });
    await input.focus();
    await input.press('ArrowDown');
    await expectNoAxeViolations(page, dialog, 'authorization dropdown open');
    await page.getByRole('option', { name: 'Bearer token', exact: true }).click();
    await dialog.getByLabel('Bearer token').fill('new_token_9876543210');
    await dialog.getByLabel('Header 1 value').fill('new-key-9876543210');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByText('https://collector.example.test/ingest').waitFor();

    await row.getByRole('button', { name: /^Actions for / }).click();
    await row.getByRole('menuitem', { name: 'Send test' }).click();
    await page.getByRole('dialog').getByText('Delivered', { exact: true }).waitFor();
    await expectNoAxeViolations(page, page.getByRole('dialog'), 'test delivered');
    const sent = newReceiver.requests.find((r) => r.body.includes('"test":true'));
    expect(sent?.headers.authorization).toBe('Bearer new_token_9876543210');
    expect(sent?.headers['x-api-key']).toBe('new-key-9876543210');
    expect(oldReceiver.requests.filter((r) => r.body.includes('"test":true'))).toHaveLength(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
