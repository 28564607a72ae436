/**
 * The guided create flow, and switching tab with unsaved changes, in Debian's Chromium against the app on the local Forge host: steps
 * (Destination, Events, Security, Test) that follow the admin, required marks, checks as you type with the
 * contract's rules (before anything is sent), and after creating an offer to send a test, which reaches
 * a real node:http receiver. axe runs in every state reached.
 */
import { ADMIN, startAppOnHost, stopAppOnHost } from './support/app-on-host'; // first: it loads dev/host
import type { Browser, Locator, Page } from 'playwright-core';
import type { ForgeHost } from '../../dev/host';
import { axeViolations } from './support/axe';
import { collectPageErrors, describeWithChromium } from './support/browser';
import { startReceiver, type Receiver } from './support/receiver';

jest.setTimeout(120_000);

describeWithChromium('admin page: the guided create flow', () => {
  let browser: Browser;
  let host: ForgeHost;
  let receiver: Receiver;
  let baseUrl: string;

  beforeAll(async () => {
    receiver = await startReceiver({ status: 200, body: '{"ok":true}' });
    ({ host, baseUrl, browser } = await startAppOnHost({ 'guided.example.test': receiver.url }));
  });

  afterAll(async () => {
    await stopAppOnHost({ browser, host });
    await receiver?.close();
  });

  const settle = (page: Page) => page.waitForFunction(() => document.getAnimations().every((animation) => animation.playState !== 'running'));
  const expectNoAxeViolations = async (page: Page, within: Locator, state: string) => {
    await settle(page);
    const violations = await axeViolations(page, within);
    expect({ state, violations }).toEqual({ state, violations: [] });
  };
  const listed = async (): Promise<string[]> => {
    const answer = (await host.invoke('webhooks.list', {}, ADMIN)) as { ok: boolean; data: { webhooks: { name: string }[] } };
    return answer.data.webhooks.map((w) => w.name);
  };

  test('steps follow the admin, required fields are marked, fields are checked as typed, and a test is offered after creating', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${baseUrl}/resources/admin-ui/?accountId=${encodeURIComponent(ADMIN)}`);
    await page.getByRole('button', { name: 'Create webhook', exact: true }).click({ timeout: 60_000 });
    const dialog = page.getByRole('dialog', { name: 'Create webhook' });
    await dialog.getByLabel('Name').waitFor();

    // The steps, in order; nothing done yet, so Destination is the current one.
    const steps = dialog.getByRole('navigation', { name: 'Steps to create a webhook' });
    expect(await steps.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringContaining('Destination'),
      expect.stringContaining('Events'),
      expect.stringContaining('Security'),
      expect.stringContaining('Test'),
    ]);
    const current = steps.locator('[aria-current="step"]');
    expect(await current.innerText()).toContain('Destination');

    // Required marks beside the labels, and the inputs say so to assistive technology.
    for (const id of ['wh-name', 'wh-url']) {
      expect(await dialog.locator(`label[for="${id}"] + span[title="required"]`).innerText()).toBe('*');
      expect(await dialog.locator(`#${id}`).getAttribute('required')).not.toBeNull();
    }
    await expectNoAxeViolations(page, dialog, 'create form, untouched');

    // Checks as you type: nothing is shown before the admin leaves a field, then the contract's message.
    const url = dialog.getByLabel('URL', { exact: true });
    await url.fill('http://guided.example.test/hook');
    expect(await dialog.locator('[data-field-error="wh-url"]').count()).toBe(0);
    await page.keyboard.press('Tab');
    const urlError = dialog.locator('[data-field-error="wh-url"]');
    await urlError.getByText(/https/).waitFor();
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    expect(await url.getAttribute('aria-describedby')).toContain('wh-url-error');
    await expectNoAxeViolations(page, dialog, 'create form, URL checked as typed');
    // Fixing it clears the error as the admin types.
    await url.fill('https://guided.example.test/hook');
    await urlError.waitFor({ state: 'detached' });
    expect(await url.getAttribute('aria-invalid')).toBeNull();
    // A name left empty is checked when left.
    await dialog.getByLabel('Name').focus();
    await page.keyboard.press('Tab');
    await dialog.locator('[data-field-error="wh-name"]').waitFor();
    await dialog.getByLabel('Name').fill('Guided SIEM');
    await dialog.locator('[data-field-error="wh-name"]').waitFor({ state: 'detached' });
    // None of this was sent: checks ran in the page.
    expect(await listed()).toEqual([]);

    // Focus in the Events section makes Events the current step; choosing none is checked too.
    await dialog.getByRole('checkbox', { name: /All events/ }).click();
    await current.filter({ hasText: 'Events' }).waitFor();
    const events = dialog.locator('#wh-events');
    await events.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await dialog.getByText('1 selected').waitFor();
    await page.keyboard.press('Backspace');
    await dialog.locator('[data-field-error="wh-events"]').getByText(/Choose at least one event type/).waitFor();
    await expectNoAxeViolations(page, dialog, 'create form, events checked as typed');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await dialog.locator('[data-field-error="wh-events"]').waitFor({ state: 'detached' });
    expect(await steps.getByRole('listitem').filter({ hasText: 'Destination' }).getAttribute('data-step-state')).toBe('done');

    // The Security step moves to the Signing section; a secret makes it done.
    await steps.getByRole('button', { name: /Security/ }).click();
    await current.filter({ hasText: 'Security' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.closest('[data-step]')?.getAttribute('data-step'))).toBe('security');
    await dialog.getByRole('button', { name: 'Generate secret' }).click();
    await dialog.getByText('Copy this secret to your receiver now').waitFor();
    await dialog.getByLabel('Name').focus();
    await current.filter({ hasText: 'Destination' }).waitFor();
    expect(await steps.getByRole('listitem').filter({ hasText: 'Security' }).getAttribute('data-step-state')).toBe('done');

    // Create: the form's last step offers a test.
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    const last = dialog.getByTestId('created-test-step');
    await last.waitFor();
    expect(await last.locator('[aria-current="step"]').innerText()).toContain('Test');
    expect(await last.innerText()).toContain('“Guided SIEM” created');
    expect(await listed()).toEqual(['Guided SIEM']);
    await expectNoAxeViolations(page, dialog, 'created, test offered');

    const before = receiver.requests.length;
    await last.getByRole('button', { name: 'Send a test' }).click();
    const test = page.getByRole('dialog', { name: 'Test of Guided SIEM' });
    await test.getByText('Delivered', { exact: true }).waitFor();
    expect(receiver.requests.length - before).toBe(1);
    expect(receiver.requests.at(-1)?.headers['webhook-signature']).toMatch(/^v1,/);
    await expectNoAxeViolations(page, test, 'test sent');

    expect(errors).toEqual([]);
    await page.close();
  });

  test('switching tab with unsaved changes asks first; keeping them stays, discarding moves on', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${baseUrl}/resources/admin-ui/?accountId=${encodeURIComponent(ADMIN)}`);
    await page.getByRole('tab', { name: 'Settings' }).click({ timeout: 60_000 });
    const days = page.getByLabel('Backfill days');
    await days.fill('12');
    const question = page.getByRole('dialog', { name: 'Discard changes?' });

    // Keep editing: the tab and what was typed stay.
    await page.getByRole('tab', { name: 'Webhooks' }).click();
    await question.waitFor();
    await expectNoAxeViolations(page, question, 'discard question on tab switch');
    await question.getByRole('button', { name: 'Keep editing' }).click();
    await question.waitFor({ state: 'detached' });
    expect(await page.getByRole('tab', { name: 'Settings' }).getAttribute('aria-selected')).toBe('true');
    expect(await days.inputValue()).toBe('12');

    // Discard: the switch happens, and the form is back as it was.
    await page.getByRole('tab', { name: 'Activity' }).click();
    await question.getByRole('button', { name: 'Discard' }).click();
    await page.getByRole('tab', { name: 'Activity', selected: true }).waitFor();
    await page.getByRole('tab', { name: 'Settings' }).click();
    expect(await days.inputValue()).toBe('7');

    // Nothing typed, or typed and requested: no question.
    await days.fill('3');
    await page.getByRole('button', { name: 'Request backfill' }).click();
    await page.getByText(/Backfill of the last 3 days requested/).waitFor();
    await page.getByRole('tab', { name: 'Webhooks' }).click();
    await page.getByRole('tab', { name: 'Webhooks', selected: true }).waitFor();
    expect(await question.count()).toBe(0);

    expect(errors).toEqual([]);
    await page.close();
  });
});
