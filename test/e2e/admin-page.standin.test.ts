/**
 * The admin page's states, rendered in Chromium against a STAND-IN backend (support/standin-backend.ts):
 * failing and disabled webhooks, a CONFLICT while editing, the app unreachable, paging, dark mode.
 * The real end-to-end flow (real resolver on the local Forge host) is admin-page.e2e.test.ts.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expectNoAxeViolations } from './support/axe';
import { collectPageErrors, describeWithChromium, launchChromium, SCREENSHOT_DIR } from './support/browser';
import { serveBuild } from './support/static-server';
import { STANDIN_BRIDGE_SCRIPT, standinBackend, type StandinOptions } from './support/standin-backend';

// Browser tests drive real pages; the e2e project's own timeout is not applied per project by jest 30.
jest.setTimeout(120_000);

describeWithChromium('admin page states (stand-in backend)', () => {
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    server = await serveBuild();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(options: StandinOptions = {}): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    const backend = standinBackend(options);
    await page.exposeFunction('__standinInvoke', (key: string, payload: Record<string, unknown>) => backend(key, payload));
    await page.addInitScript({ content: STANDIN_BRIDGE_SCRIPT });
    await page.goto(server.url);
    return { page, errors };
  }

  /** Every state worth a screenshot is checked by axe too: the whole page, dialogs and menus included. */
  const shot = async (page: Page, name: string) => {
    await expectNoAxeViolations(page, page.locator('body'), name);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `admin-standin-${name}.png`), fullPage: true });
  };

  test('lists webhooks with kind, masked URL, events and health', async () => {
    const { page, errors } = await open();
    const table = page.getByTestId('webhooks-table--table');
    await table.getByText('Splunk production', { exact: true }).waitFor();
    await expectText(page, 'https://hooks.slack.com/services/•••');
    await expectText(page, 'All events');
    await expectText(page, '3 event types');
    await expectText(page, 'Failing');
    await expectText(page, 'HTTP 503 from the endpoint', false);
    await expectText(page, 'Turned off by an admin');
    await shot(page, 'list-light');
    // Outside Jira the page follows the OS colour scheme with Atlassian's own themes.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('html[data-color-mode="dark"]').waitFor({ state: 'attached' });
    await shot(page, 'list-dark');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('edit form shows write-only values and a CONFLICT with a reload', async () => {
    const { page, errors } = await open({ conflictOnUpdate: true });
    const row = page.getByRole('row', { name: /Splunk production/ });
    await row.getByRole('button', { name: /^Actions for / }).click();
    await row.getByRole('menuitem', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Set (Splunk)').waitFor();
    await expectText(page, 'Stored URL: https://splunk.example.com:8443/services/collector/•••', false);
    await expect(dialog.getByLabel('Header 1 value').inputValue()).resolves.toBe('');
    await dialog.getByRole('button', { name: 'Generate secret' }).click();
    await dialog.getByText('Copy this secret to your receiver now').waitFor();
    await shot(page, 'edit-form');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Someone else changed this webhook').waitFor();
    await shot(page, 'edit-conflict');
    await dialog.getByRole('button', { name: 'Reload their version' }).click();
    await dialog.getByText('Someone else changed this webhook').waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await page.close();
  });

  test('create form: events grouped by category, Slack hides custom-only sections', async () => {
    const { page, errors } = await open();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('button', { name: 'Create webhook', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByLabel('Event types').isDisabled()).resolves.toBe(true);
    await dialog.getByLabel('All events, including types added later').uncheck();
    const events = dialog.getByLabel('Event types');
    await events.click();
    await page.getByText('Users and groups', { exact: true }).waitFor();
    await page.getByText('Permissions', { exact: true }).waitFor();
    await page.getByRole('option', { name: /audit:group\.member\.added/ }).click();
    await dialog.getByText('1 selected').waitFor();
    await shot(page, 'create-events-dark');
    await dialog.getByRole('heading', { name: 'Create webhook' }).click();

    await dialog.getByText('Signing', { exact: true }).waitFor();
    const kind = dialog.getByLabel('Kind', { exact: true });
    await kind.focus();
    await kind.press('ArrowDown');
    await page.getByRole('option', { name: /^Slack\b/ }).click();
    await dialog.getByText('Slack webhook URLs contain a secret, so they are always masked after saving.').waitFor();
    await expect(dialog.getByText('Signing', { exact: true }).count()).resolves.toBe(0);
    await expect(dialog.getByText('Additional headers', { exact: true }).count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('create form: the settings of a kind and batch size come from destinations, errors under the field', async () => {
    const { page, errors } = await open();
    await page.getByRole('button', { name: 'Create webhook', exact: true }).click();
    const dialog = page.getByRole('dialog');
    // Custom lists its optional OAuth fields; the secret one is a write-only password input.
    await dialog.getByRole('heading', { name: 'Custom HTTPS webhook settings' }).waitFor();
    const clientSecret = dialog.getByLabel('OAuth client secret', { exact: true });
    await expect(clientSecret.getAttribute('type')).resolves.toBe('password');
    await expect(clientSecret.getAttribute('autocomplete')).resolves.toBe('off');
    await dialog.getByLabel('Name').fill('Splunk HEC');
    await dialog.getByLabel('URL', { exact: true }).fill('https://splunk.example.com:8088/services/collector/event');

    const kind = dialog.getByLabel('Kind', { exact: true });
    await kind.focus();
    await kind.press('ArrowDown');
    // The picker shows each kind's label and summary, in the order the API lists them.
    const options = page.getByRole('option');
    await expect(options.allInnerTexts()).resolves.toEqual([
      expect.stringContaining('Custom HTTPS webhook'),
      expect.stringContaining('Slack'),
      expect.stringMatching(/Splunk HTTP Event Collector\s+Events in batches/),
    ]);
    await page.getByRole('option', { name: /^Splunk HTTP Event Collector/ }).click();

    // What was typed in the common fields stays; the URL field takes the kind's label.
    await expect(dialog.getByLabel('Name').inputValue()).resolves.toBe('Splunk HEC');
    await expect(dialog.getByLabel('HEC URL', { exact: true }).inputValue()).resolves.toBe('https://splunk.example.com:8088/services/collector/event');
    await dialog.getByRole('heading', { name: 'Splunk HTTP Event Collector settings' }).waitFor();
    await expect(dialog.getByText('Signing', { exact: true }).count()).resolves.toBe(0);
    await expect(dialog.getByText('Authorization', { exact: true }).count()).resolves.toBe(0);
    const token = dialog.getByLabel('HEC token', { exact: true });
    await expect(token.getAttribute('type')).resolves.toBe('password');
    await expect(token.getAttribute('required')).resolves.not.toBeNull();
    await expect(dialog.getByLabel('Back-off (seconds)').getAttribute('placeholder')).resolves.toBe('30 (default)');
    await expect(dialog.getByLabel('Index').getAttribute('placeholder')).resolves.toBe('jira_audit');
    await dialog.getByText('Settings > Data inputs > HTTP Event Collector: the token value.').waitFor();
    const batch = dialog.getByLabel('Events per request');
    await expect(batch.getAttribute('placeholder')).resolves.toBe('50 (default)');
    await expect(batch.getAttribute('max')).resolves.toBe('100');

    // A batch size out of range is caught on the page; the API's settings.token error shows under the token.
    await batch.fill('500');
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    await dialog.locator('[data-field-error="wh-batch-events"]').getByText(/from 1 to 100/).waitFor();
    await batch.fill('20');
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    await dialog.locator('[data-field-error="wh-setting-token"]').getByText(/Enter HEC token/).waitFor();
    await shot(page, 'create-settings-error');
    await token.fill('hec-token-value');
    await dialog.getByLabel('Index').fill('jira');
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    // Created: the form's last step offers a test send; Done closes it.
    await dialog.getByTestId('created-test-step').getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /Splunk HEC/ });
    await row.getByText('Splunk HTTP Event Collector').waitFor();

    // Editing: the secret is "Set" with an empty input, the stored values and batch size are filled in.
    await row.getByRole('button', { name: /^Actions for / }).click();
    await row.getByRole('menuitem', { name: 'Edit' }).click();
    await dialog.getByTestId('wh-setting-token-state').getByText('Set', { exact: true }).waitFor();
    await expect(token.inputValue()).resolves.toBe('');
    await expect(token.getAttribute('placeholder')).resolves.toBe('Leave empty to keep');
    await expect(dialog.getByLabel('Index').inputValue()).resolves.toBe('jira');
    await expect(batch.inputValue()).resolves.toBe('20');
    expect(await page.content()).not.toContain('hec-token-value');
    await shot(page, 'edit-settings');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('delivery log filters, pages by cursor and expands attempts', async () => {
    const { page, errors } = await open();
    await page.getByRole('tab', { name: 'Delivery log' }).click();
    const table = page.getByRole('table', { name: 'Deliveries' });
    await table.waitFor();
    await expect(table.locator('tbody > tr').count()).resolves.toBe(25);
    await page.getByRole('button', { name: 'Load older deliveries' }).click();
    await table.locator('tbody > tr').nth(34).waitFor();
    await expect(table.locator('tbody > tr').count()).resolves.toBe(35);
    const failed = table.locator('tr[data-delivery-id="msg_1001"]');
    await failed.getByRole('button', { name: 'Details' }).click();
    const inspector = page.getByRole('dialog');
    await inspector.getByRole('tab', { name: 'Response' }).click();
    await inspector.getByRole('region', { name: 'Response body' }).waitFor();
    await shot(page, 'deliveries');
    await page.keyboard.press('Escape');
    await inspector.waitFor({ state: 'detached' });
    await failed.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('Delivery msg_1001 is queued again.').waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  test('settings show the poll status and its last error', async () => {
    const { page } = await open();
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByText('The last poll failed').waitFor();
    await page.getByLabel('Backfill days').fill('45');
    await page.getByRole('button', { name: 'Request backfill' }).click();
    await page.getByText('Enter a whole number of days from 0 to 30.').waitFor();
    await shot(page, 'settings');
    await page.close();
  });

  test('UNAVAILABLE offers a retry; an empty site explains what to do', async () => {
    const down = await open({ failAll: { ok: false, error: { code: 'UNAVAILABLE', message: 'Storage is busy.' } } });
    await down.page.getByText('Audit Webhooks is not reachable right now').waitFor();
    await down.page.getByRole('button', { name: 'Try again' }).waitFor();
    await shot(down.page, 'unavailable');
    await down.page.close();

    const empty = await open({ webhooks: [] });
    await empty.page.getByText('No webhooks yet').waitFor();
    await empty.page.getByRole('button', { name: 'Create your first webhook' }).waitFor();
    await shot(empty.page, 'empty');
    await empty.page.close();
  });
});

async function expectText(page: Page, text: string, exact = true): Promise<void> {
  await page.getByText(text, { exact }).first().waitFor();
}
