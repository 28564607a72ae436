/**
 * Issue 14, payload templates in the admin page: typing a template shows the Content sample the backend
 * renders (webhooks.previewTemplate on the local Forge host, the real JSONata evaluation), a looping
 * template shows its error on the field and saving it stores nothing, a good one is stored, and the
 * form passes axe with the template section open and with its error.
 */
import { ADMIN, startAppOnHost, stopAppOnHost } from './support/app-on-host'; // first: it loads dev/host
import type { Browser, Page } from 'playwright-core';
import type { ForgeHost } from '../../dev/host';
import type { ApiResult, WebhookView } from '../../src/contract';
import { axeViolations, testWithAxe } from './support/axe';
import { collectPageErrors, describeWithChromium } from './support/browser';
import { startReceiver, type Receiver } from './support/receiver';

jest.setTimeout(120_000);

const SHAPE = '{ "summary": data.summary, "who": data.actor.displayName, "when": timestamp }';
const LOOP = '($f := function($x){ $f($x) }; $f(1))';

describeWithChromium('payload templates in the admin page (local Forge host)', () => {
  let browser: Browser;
  let host: ForgeHost;
  let baseUrl: string;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver({ status: 200, body: 'ok' });
    ({ host, baseUrl, browser } = await startAppOnHost({ 'siem.example.test': receiver.url }));
  });
  afterAll(async () => {
    await stopAppOnHost({ browser, host });
    await receiver?.close();
  });

  const webhooks = async (): Promise<WebhookView[]> => {
    const answer = (await host.invoke('webhooks.list', {}, ADMIN)) as ApiResult<{ webhooks: WebhookView[] }>;
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.data.webhooks;
  };

  async function openCreateForm(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${baseUrl}/resources/admin-ui/?accountId=${encodeURIComponent(ADMIN)}`);
    await page.getByRole('button', { name: 'Create webhook', exact: true }).click();
    await page.getByRole('dialog').getByLabel('Payload template').waitFor();
    return { page, errors };
  }

  testWithAxe('typing a template shows its content sample; a looping one shows an error and is not saved; a good one is', async () => {
    const { page, errors } = await openCreateForm();
    const dialog = page.getByRole('dialog');
    const sample = dialog.getByLabel('Content sample', { exact: true });
    // Without a template: the default body, our envelope.
    await page.waitForFunction(() => document.querySelector('[aria-label="Content sample"]')?.textContent?.includes('"type": "issue.created"'));

    const field = dialog.getByLabel('Payload template');
    await field.fill(SHAPE);
    await page.waitForFunction(() => document.querySelector('[aria-label="Content sample"]')?.textContent?.includes('"who": "Mia Krystof"'));
    const shown = JSON.parse((await sample.textContent()) ?? '') as Record<string, unknown>;
    expect(Object.keys(shown)).toEqual(['summary', 'who', 'when']);
    expect(await axeViolations(page, dialog)).toEqual([]);

    await field.fill(LOOP);
    const error = dialog.locator('#wh-template-error');
    await error.getByText(/check for a loop/).waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect((await field.getAttribute('aria-describedby')) ?? '').toContain('wh-template-error');
    expect(await axeViolations(page, dialog)).toEqual([]);

    await dialog.getByLabel('Name').fill('Shaped SIEM');
    await dialog.getByLabel('URL', { exact: true }).fill('https://siem.example.test/shaped');
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    await error.getByText(/^For issue\.created events: /).waitFor();
    expect(await webhooks()).toEqual([]);

    await field.fill(SHAPE);
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    await dialog.getByTestId('created-test-step').getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    const [stored] = await webhooks();
    expect(stored?.template).toBe(SHAPE);
    expect(errors).toEqual([]);
    await page.close();
  });
});
