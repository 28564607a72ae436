/**
 * Issue 14 in the admin page, in Debian's Chromium against the app on the local Forge host: the Retries
 * section saves a fixed interval with its retries after the first try (a bad number is shown under its
 * field, nothing saved), and in base64-list signing the secrets editor adds a text of your own as a secret.
 * axe finds nothing in the form.
 */
import { ADMIN, startAppOnHost, stopAppOnHost } from './support/app-on-host'; // first: it loads dev/host
import type { Browser, Page } from 'playwright-core';
import type { ForgeHost } from '../../dev/host';
import type { WebhookView } from '../../src/contract';
import { axeViolations, testWithAxe } from './support/axe';
import { collectPageErrors, describeWithChromium } from './support/browser';
import { startReceiver, type Receiver } from './support/receiver';
import { openEditForm, webhookNamed as webhookNamedOn } from './support/webhook-rows';

jest.setTimeout(120_000);

const TYPED = 'Tr0ub4dor&3-horse-staple-Battery';

describeWithChromium('admin page: retry policy and secrets of your own', () => {
  let browser: Browser;
  let host: ForgeHost;
  let receiver: Receiver;
  let baseUrl: string;

  beforeAll(async () => {
    receiver = await startReceiver({ status: 200, body: '{"ok":true}' });
    ({ host, baseUrl, browser } = await startAppOnHost({ 'siem.example.test': receiver.url }));
  });

  afterAll(async () => {
    await stopAppOnHost({ browser, host });
    await receiver?.close();
  });

  const webhookNamed = (name: string): Promise<WebhookView> => webhookNamedOn(host, name);
  const openEdit = (page: Page, name: string) => openEditForm(page, name, 'Retry policy');

  const describedText = async (page: Page, describedBy: string | null): Promise<string> =>
    (await Promise.all((describedBy ?? '').split(' ').filter(Boolean).map((id) => page.locator(`[id="${id}"]`).innerText().catch(() => '')))).join(' ');

  testWithAxe('saves a fixed 60 s x 3 policy, names a bad interval under its field, and adds a typed secret in base64-list signing', async () => {
    const created = (await host.invoke('webhooks.create', { kind: 'custom', name: 'Soteri receiver', url: 'https://siem.example.test/in', events: ['*'], signing: { mode: 'base64-list' } }, ADMIN)) as { ok: boolean };
    expect(created.ok).toBe(true);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${baseUrl}/resources/admin-ui/?accountId=${encodeURIComponent(ADMIN)}`);
    await page.getByRole('row', { name: /Soteri receiver/ }).waitFor();

    let { dialog } = await openEdit(page, 'Soteri receiver');
    // An Atlaskit (react-select) Select: opened from the keyboard, as a keyboard user would.
    const mode = dialog.getByLabel('Retry policy', { exact: true });
    await mode.focus();
    await mode.press('ArrowDown');
    await page.getByRole('option', { name: 'Fixed interval', exact: true }).click();
    await dialog.getByLabel('Seconds between retries').fill('5');
    await dialog.getByLabel('Retries after the first try').fill('3');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText(/whole number from 10 to 86400/).first().waitFor();
    expect(await describedText(page, await dialog.getByLabel('Seconds between retries').getAttribute('aria-describedby'))).toMatch(/from 10 to 86400/);
    expect((await webhookNamed('Soteri receiver')).retryPolicy).toEqual({ mode: 'default' });
    expect(await axeViolations(page, dialog)).toEqual([]);

    await dialog.getByLabel('Seconds between retries').fill('60');
    // base64-list: the paste field takes a text of your own.
    await dialog.getByLabel('Or add a text as a secret').fill(TYPED);
    await dialog.getByRole('button', { name: 'Add the text as a secret' }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const saved = await webhookNamed('Soteri receiver');
    expect(saved.retryPolicy).toEqual({ mode: 'fixed', intervalSeconds: 60, retries: 3 });
    expect(saved.retryPolicySummary).toBe('Retries every 60 s, 3 times');
    expect(saved.secrets.map((s) => s.preview)).toEqual(['Tr0']);

    ({ dialog } = await openEdit(page, 'Soteri receiver'));
    expect(await dialog.getByLabel('Seconds between retries').inputValue()).toBe('60');
    expect(await dialog.getByLabel('Retries after the first try').inputValue()).toBe('3');
    expect(await dialog.innerText()).not.toContain(TYPED);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(errors).toEqual([]);
    await page.close();
  });
});
