/**
 * Filters in the admin page, in Debian's Chromium against the app on the local Forge host: the Filters
 * section of the edit form saves projects and actors to include or exclude, the list shows them in one
 * line, a wrong project key is shown under its field with what to fix, and axe finds nothing.
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

describeWithChromium('admin page: filters beyond event types', () => {
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
  const openEdit = (page: Page, name: string) => openEditForm(page, name, 'Projects to include');

  testWithAxe('saves filters from the form, shows them in the list, and names a wrong project key under its field', async () => {
    const created = (await host.invoke('webhooks.create', { kind: 'custom', name: 'Security SIEM', url: 'https://siem.example.test/in', events: ['*'] }, ADMIN)) as { ok: boolean };
    expect(created.ok).toBe(true);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${baseUrl}/resources/admin-ui/?accountId=${encodeURIComponent(ADMIN)}`);
    await page.getByRole('row', { name: /Security SIEM/ }).waitFor();

    let { row, dialog } = await openEdit(page, 'Security SIEM');
    await dialog.getByLabel('Projects to include').fill('sec, 9OPS');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const problem = dialog.getByText(/"9OPS" is not a Jira project key/);
    await problem.waitFor();
    // Tied to its field: the input is described by the message.
    const describedBy = (await dialog.getByLabel('Projects to include').getAttribute('aria-describedby')) ?? '';
    const describedText = await Promise.all(describedBy.split(' ').filter(Boolean).map((id) => page.locator(`[id="${id}"]`).innerText().catch(() => '')));
    expect(describedText.join(' ')).toMatch(/9OPS/);
    expect((await webhookNamed('Security SIEM')).filters).toBeUndefined();
    expect(await axeViolations(page, dialog)).toEqual([]);

    await dialog.getByLabel('Projects to include').fill('sec, ops');
    await dialog.getByLabel('Actors to exclude').fill('557058:automation-account');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await webhookNamed('Security SIEM')).filters).toEqual({ projects: { include: ['SEC', 'OPS'] }, actors: { exclude: ['557058:automation-account'] } });
    await row.getByText('Projects SEC, OPS · not actor 557058:a…').waitFor();

    // Emptied: the filters are removed.
    ({ row, dialog } = await openEdit(page, 'Security SIEM'));
    expect(await dialog.getByLabel('Projects to include').inputValue()).toBe('SEC, OPS');
    await dialog.getByLabel('Projects to include').fill('');
    await dialog.getByLabel('Actors to exclude').fill('');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await webhookNamed('Security SIEM')).filters).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  });
});
