/**
 * Destination kinds through the admin page, end to end: the form is rendered from the real registry's
 * `destinations`, and what it sends is stored by the real resolver on the local Forge host. A custom
 * webhook with OAuth 2.0 client credentials, a batching kind (Elasticsearch), and axe on the form.
 */
import { ADMIN, startAppOnHost, stopAppOnHost } from './support/app-on-host'; // first: it loads dev/host
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ForgeHost } from '../../dev/host';
import type { ApiResult, DestinationView, WebhookView } from '../../src/contract';
import { axeViolations, testWithAxe, expectNoAxeViolations } from './support/axe';
import { collectPageErrors, describeWithChromium, SCREENSHOT_DIR } from './support/browser';
import { startReceiver, type Receiver } from './support/receiver';

// Browser tests drive real pages; the e2e project's own timeout is not applied per project by jest 30.
jest.setTimeout(120_000);

const CLIENT_SECRET = 'oauth-client-secret-7f3a9c2e';
const TOKEN_URL = 'https://auth.example.test/oauth2/token';
const ELASTIC_API_KEY = Buffer.from('VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw').toString('base64');

describeWithChromium('destination kinds in the admin page (local Forge host)', () => {
  let browser: Browser;
  let host: ForgeHost;
  let baseUrl: string;
  let receiver: Receiver;
  let tokenEndpoint: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver({ status: 200, body: '{"errors":false,"items":[]}' });
    tokenEndpoint = await startReceiver({ status: 200, body: '{"access_token":"at-123","token_type":"Bearer","expires_in":3600}' });
    ({ host, baseUrl, browser } = await startAppOnHost({
      'siem.example.test': receiver.url,
      'es.example.test': receiver.url,
      'auth.example.test': tokenEndpoint.url,
    }));
  });

  afterAll(async () => {
    await stopAppOnHost({ browser, host });
    await receiver?.close();
    await tokenEndpoint?.close();
  });

  /** The admin page, with every network answer it gets kept as text. */
  async function openAdminPage(): Promise<{ page: Page; errors: string[]; answers: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    const answers: string[] = [];
    page.on('response', (response) => {
      void response.text().then(
        (text) => answers.push(text),
        () => undefined,
      );
    });
    await page.goto(`${baseUrl}/resources/admin-ui/?accountId=${encodeURIComponent(ADMIN)}`);
    await page.getByRole('button', { name: 'Create webhook', exact: true }).waitFor();
    return { page, errors, answers };
  }

  const list = async (): Promise<{ webhooks: WebhookView[]; destinations: DestinationView[] }> => {
    const answer = (await host.invoke('webhooks.list', {}, ADMIN)) as ApiResult<{ webhooks: WebhookView[]; destinations: DestinationView[] }>;
    if (!answer.ok) throw new Error(`webhooks.list failed: ${answer.error.message}`);
    return answer.data;
  };
  const stored = async (name: string): Promise<WebhookView> => {
    const found = (await list()).webhooks.find((w) => w.name === name);
    if (!found) throw new Error(`no webhook named ${name}`);
    return found;
  };

  /** Every state worth a screenshot is checked by axe too: the whole page, dialogs and menus included. */
  const shot = async (page: Page, name: string) => {
    await expectNoAxeViolations(page, page.locator('body'), name);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `admin-destinations-${name}.png`), fullPage: true });
  };

  test('a custom webhook with OAuth client credentials: stored, the secret write-only', async () => {
    const { page, errors, answers } = await openAdminPage();
    await page.getByRole('button', { name: 'Create webhook', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Custom HTTPS webhook settings' }).waitFor();
    await dialog.getByLabel('Name').fill('SIEM with OAuth');
    await dialog.getByLabel('URL', { exact: true }).fill('https://siem.example.test/oauth-collector');
    await dialog.getByLabel('OAuth token URL').fill(TOKEN_URL);
    await dialog.getByLabel('OAuth client ID').fill('jira-audit-client');
    const secretInput = dialog.getByLabel('OAuth client secret');
    expect(await secretInput.getAttribute('type')).toBe('password');
    expect(await secretInput.getAttribute('autocomplete')).toBe('off');
    await secretInput.fill(CLIENT_SECRET);
    await dialog.getByLabel('OAuth scope').fill('audit.write');
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    // Created: the form's last step offers a test send; Done closes it.
    await dialog.getByTestId('created-test-step').getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /SIEM with OAuth/ }).getByText('Custom HTTPS webhook').waitFor();

    const webhook = await stored('SIEM with OAuth');
    expect(webhook.kind).toBe('custom');
    expect(webhook.secretSettings).toContain('oauthClientSecret');
    expect(webhook.settings).toEqual(expect.objectContaining({ oauthTokenUrl: TOKEN_URL, oauthClientId: 'jira-audit-client', oauthScope: 'audit.write' }));
    expect(webhook.settings).not.toHaveProperty('oauthClientSecret');
    expect(JSON.stringify(await list())).not.toContain(CLIENT_SECRET);

    // Editing shows it as set, with an empty input; saving without typing it keeps it.
    const row = page.getByRole('row', { name: /SIEM with OAuth/ });
    await row.getByRole('button', { name: /^Actions for / }).click();
    await row.getByRole('menuitem', { name: 'Edit' }).click();
    await dialog.getByTestId('wh-setting-oauthClientSecret-state').getByText('Set', { exact: true }).waitFor();
    expect(await secretInput.inputValue()).toBe('');
    expect(await secretInput.getAttribute('placeholder')).toBe('Leave empty to keep');
    expect(await dialog.getByLabel('OAuth token URL').inputValue()).toBe(TOKEN_URL);
    await shot(page, 'custom-oauth-edit');
    await dialog.getByLabel('OAuth scope').fill('audit.write audit.read');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const updated = await stored('SIEM with OAuth');
    expect(updated.secretSettings).toContain('oauthClientSecret');
    expect(updated.settings['oauthScope']).toBe('audit.write audit.read');

    // Write-only: the secret is in neither the page nor anything the page was answered.
    await row.getByRole('button', { name: /^Actions for / }).click();
    await row.getByRole('menuitem', { name: 'Edit' }).click();
    await dialog.getByTestId('wh-setting-oauthClientSecret-state').waitFor();
    expect(await page.content()).not.toContain(CLIENT_SECRET);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((text) => text.includes(CLIENT_SECRET))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a batching kind (Elasticsearch) through the form: settings, API key and events per request stored', async () => {
    const elastic = (await list()).destinations.find((d) => d.kind === 'elastic');
    expect(elastic?.batch).toBeDefined();
    const { page, errors, answers } = await openAdminPage();
    await page.getByRole('button', { name: 'Create webhook', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Elastic audit stream');
    await chooseKind(page, elastic!.label);
    await dialog.getByRole('heading', { name: `${elastic!.label} settings` }).waitFor();
    // Custom-only sections are gone; the URL field is the kind's.
    expect(await dialog.getByText('Signing', { exact: true }).count()).toBe(0);
    expect(await dialog.getByText('Additional headers', { exact: true }).count()).toBe(0);
    expect(await dialog.getByLabel('Name').inputValue()).toBe('Elastic audit stream');
    await dialog.getByLabel(elastic!.common.urlLabel, { exact: true }).fill('https://es.example.test');
    const batch = dialog.getByLabel('Events per request');
    expect(await batch.getAttribute('placeholder')).toBe(`${elastic!.batch!.defaultEvents} (default)`);
    await batch.fill('25');

    // The API's settings.apiKey error is shown under the API key field.
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    await dialog.locator('[data-field-error="wh-setting-apiKey"]').waitFor();
    await shot(page, 'elastic-missing-key');
    await dialog.getByLabel('API key').fill(ELASTIC_API_KEY);
    await dialog.getByLabel('Data stream').fill('logs-jira.audit-e2e');
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    // Created: the form's last step offers a test send; Done closes it.
    await dialog.getByTestId('created-test-step').getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /Elastic audit stream/ }).getByText(elastic!.label).waitFor();

    const webhook = await stored('Elastic audit stream');
    expect(webhook.kind).toBe('elastic');
    expect(webhook.batchEvents).toBe(25);
    expect(webhook.settings).toEqual(expect.objectContaining({ dataStream: 'logs-jira.audit-e2e' }));
    expect(webhook.secretSettings).toEqual(['apiKey']);

    // Back to the kind's default: an emptied batch size is sent as null.
    const row = page.getByRole('row', { name: /Elastic audit stream/ });
    await row.getByRole('button', { name: /^Actions for / }).click();
    await row.getByRole('menuitem', { name: 'Edit' }).click();
    expect(await batch.inputValue()).toBe('25');
    await batch.fill('');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await stored('Elastic audit stream')).batchEvents).toBeUndefined();

    expect(await page.content()).not.toContain(ELASTIC_API_KEY);
    expect(answers.filter((text) => text.includes(ELASTIC_API_KEY))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  testWithAxe('the form of kinds with settings has no axe (WCAG 2.1 A/AA) violations', async () => {
    const { page, errors } = await openAdminPage();
    const { destinations } = await list();
    await page.getByRole('button', { name: 'Create webhook', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Custom HTTPS webhook settings' }).waitFor();
    expect(await axeViolations(page, dialog)).toEqual([]);
    for (const destination of destinations.filter((d) => d.fields.length > 0 && d.kind !== 'custom')) {
      await chooseKind(page, destination.label);
      await dialog.getByRole('heading', { name: `${destination.label} settings` }).waitFor();
      // A kind that builds its URL from its settings (Datadog) has no URL field.
      expect(await dialog.locator('#wh-url').count()).toBe(destination.common.url === 'derived' ? 0 : 1);
      const violations = await axeViolations(page, dialog);
      expect({ kind: destination.kind, violations }).toEqual({ kind: destination.kind, violations: [] });
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});

/** Picks a kind in the form's kind picker (each option shows the kind's label, then its summary). */
async function chooseKind(page: Page, label: string): Promise<void> {
  const input = page.getByRole('dialog').getByLabel('Kind', { exact: true });
  await input.focus();
  await input.press('ArrowDown');
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // The label, then its summary: the label is followed by a space or the end (a label may end in ")").
  await page.getByRole('option', { name: new RegExp(`^${escaped}(\\s|$)`) }).click();
}
