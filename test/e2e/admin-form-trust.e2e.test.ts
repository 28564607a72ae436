/**
 * The create/edit form an admin can trust at a glance, in Debian's Chromium against the app on the local
 * Forge host: nothing typed is lost (Escape in a dropdown closes only the dropdown; Escape, Cancel or a
 * click outside asks first), two secrets are told apart by label and fingerprint without being shown,
 * a failed save focuses the first error and every error is tied to its field, and axe finds nothing.
 */
import { ADMIN, startAppOnHost, stopAppOnHost } from './support/app-on-host'; // first: it loads dev/host
import { createHash } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';
import type { ForgeHost } from '../../dev/host';
import { axeViolations, expectNoAxeViolations, testWithAxe } from './support/axe';
import { collectPageErrors, describeWithChromium } from './support/browser';
import { startReceiver, type Receiver } from './support/receiver';

jest.setTimeout(120_000);

const secretOf = (fill: number): string => `whsec_${Buffer.alloc(32, fill).toString('base64')}`;
const fingerprint = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 8);

describeWithChromium('admin form: nothing lost, secrets told apart, errors in words', () => {
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

  const openCreate = async (page: Page): Promise<Locator> => {
    await page.getByRole('button', { name: 'Create webhook', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Create webhook' });
    await dialog.getByLabel('Name').waitFor();
    return dialog;
  };
  const discardQuestion = (page: Page) => page.getByRole('dialog', { name: 'Discard changes?' });

  /** Opens a react-select menu from the keyboard, checks it is open, and closes it with Escape. */
  const escapeFromDropdown = async (page: Page, inputId: string): Promise<void> => {
    const input = page.locator(`#${inputId}`);
    await input.focus();
    await page.keyboard.press('ArrowDown');
    await page.getByRole('listbox').first().waitFor();
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    await expectNoAxeViolations(page, page.locator('body'), `${inputId} dropdown open`);
    await page.keyboard.press('Escape');
    await page.getByRole('listbox').first().waitFor({ state: 'detached' });
  };

  test('Escape in a dropdown keeps the form; with changes Escape, Cancel and a click outside ask first', async () => {
    const { page, errors } = await openAdminPage();
    // A form without changes closes on Escape as before.
    let dialog = await openCreate(page);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    dialog = await openCreate(page);
    await dialog.getByLabel('Name').fill('Kept while typing');
    await dialog.getByLabel('URL', { exact: true }).fill('https://siem.example.test/kept');
    await escapeFromDropdown(page, 'wh-signing');
    await dialog.getByText('All events, including types added later').click();
    await escapeFromDropdown(page, 'wh-events');
    expect(await discardQuestion(page).count()).toBe(0);
    expect(await dialog.getByLabel('Name').inputValue()).toBe('Kept while typing');

    // Escape with changes asks; Escape or "Keep editing" there keeps everything typed.
    await dialog.getByLabel('Name').focus();
    await page.keyboard.press('Escape');
    await discardQuestion(page).getByText('has not been saved').waitFor();
    await discardQuestion(page).getByRole('button', { name: 'Keep editing' }).click();
    await discardQuestion(page).waitFor({ state: 'detached' });
    expect(await dialog.getByLabel('Name').inputValue()).toBe('Kept while typing');
    expect(await dialog.getByLabel('URL', { exact: true }).inputValue()).toBe('https://siem.example.test/kept');

    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await discardQuestion(page).waitFor();
    await page.keyboard.press('Escape');
    await discardQuestion(page).waitFor({ state: 'detached' });
    expect(await dialog.getByLabel('Name').inputValue()).toBe('Kept while typing');

    // A click outside the form asks too; "Discard" closes it.
    await page.mouse.click(20, 450);
    await discardQuestion(page).waitFor();
    await discardQuestion(page).getByRole('button', { name: 'Discard' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByRole('row', { name: /Kept while typing/ }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('two secrets on one webhook are told apart by label and fingerprint, never shown', async () => {
    const { page, errors, answers } = await openAdminPage();
    const A = secretOf(31);
    const B = secretOf(32);
    const dialog = await openCreate(page);
    await dialog.getByLabel('Name').fill('Two secrets');
    await dialog.getByLabel('URL', { exact: true }).fill('https://siem.example.test/two');
    for (const value of [A, B]) {
      await dialog.getByLabel('Or paste an existing secret').fill(value);
      await dialog.getByRole('button', { name: 'Add secret' }).click();
    }
    await dialog.getByLabel('Label for secret 1 (optional)').fill('Rotation Nov 2026');
    // Before saving the page already shows the fingerprint the API will answer.
    await expect(dialog.getByTestId('secret-fingerprint').allInnerTexts()).resolves.toEqual([fingerprint(A), fingerprint(B)]);
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    // Created: the form's last step offers a test send; Done closes it.
    await dialog.getByTestId('created-test-step').getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByRole('row', { name: /Two secrets/ });
    await row.getByRole('button', { name: /^Actions for / }).click();
    await row.getByRole('menuitem', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit webhook' });
    await edit.getByTestId('secret-row').first().waitFor();
    expect(await edit.getByTestId('secret-label').allInnerTexts()).toEqual(['Rotation Nov 2026', 'Secret 2']);
    const shown = await edit.getByTestId('secret-fingerprint').allInnerTexts();
    expect(shown).toEqual([fingerprint(A), fingerprint(B)]);
    expect(shown[0]).not.toBe(shown[1]);

    // Renaming is an edit like any other: saved with the form.
    await edit.getByRole('button', { name: 'Rename Secret 2' }).click();
    await edit.getByLabel('Label of Secret 2').fill('Receiver v2');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await row.getByRole('button', { name: /^Actions for / }).click();
    await row.getByRole('menuitem', { name: 'Edit' }).click();
    await edit.getByTestId('secret-row').first().waitFor();
    expect(await edit.getByTestId('secret-label').allInnerTexts()).toEqual(['Rotation Nov 2026', 'Receiver v2']);

    const html = await page.content();
    for (const value of [A, B]) {
      expect(html).not.toContain(value);
      expect(html).not.toContain(value.slice(6, 20));
      expect(answers.join('\n')).not.toContain(value);
      expect(answers.join('\n')).not.toContain(value.slice(6, 20));
    }
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await edit.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await page.close();
  });

  testWithAxe('a failed save focuses the first error, ties each error to its field, and axe finds nothing', async () => {
    const { page, errors } = await openAdminPage();
    const dialog = await openCreate(page);
    expect(await axeViolations(page, dialog)).toEqual([]);

    await dialog.getByLabel('Name').fill('<b>bold</b>');
    await dialog.getByLabel('URL', { exact: true }).fill('http://siem.example.test/plain');
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    await dialog.locator('[data-field-error]').first().waitFor();
    await dialog.getByText('Fix 2 fields: Name, URL.').waitFor();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('wh-name');

    const tied = await dialog.locator('[data-field-error]').evaluateAll((nodes) =>
      nodes.map((node) => {
        const fieldId = (node as HTMLElement).dataset.fieldError ?? '';
        const control = document.getElementById(fieldId);
        const describedBy = (control?.getAttribute('aria-describedby') ?? '').split(/\s+/);
        return {
          fieldId,
          invalid: control?.getAttribute('aria-invalid'),
          described: describedBy.map((id) => document.getElementById(id)?.textContent ?? '').join(' ').includes(node.textContent ?? '-'),
        };
      }),
    );
    expect(tied).toEqual([
      { fieldId: 'wh-name', invalid: 'true', described: true },
      { fieldId: 'wh-url', invalid: 'true', described: true },
    ]);
    expect(await axeViolations(page, dialog)).toEqual([]);

    // The egress problem speaks to the admin; the deploy commands wait folded for whoever deploys the app.
    await dialog.getByLabel('Name').fill('Not yet allowed');
    await dialog.getByLabel('URL', { exact: true }).fill('https://not-allowed.example.com/hook');
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    const urlError = dialog.locator('[data-field-error="wh-url"]');
    await urlError.getByText(/^Ask whoever installed the app to allow not-allowed\.example\.com/).waitFor();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('wh-url');
    await dialog.getByText('Fix 1 field: URL.').waitFor();
    const detail = urlError.locator('details');
    expect(await detail.evaluate((node) => (node as HTMLDetailsElement).open)).toBe(false);
    expect(await urlError.getByText(/npm run egress:add/).isVisible()).toBe(false);
    await detail.getByText('For the person who deploys the app').click();
    await urlError.getByText(/npm run egress:add -- not-allowed\.example\.com/).waitFor();
    expect(await axeViolations(page, dialog)).toEqual([]);

    await page.keyboard.press('Escape');
    await discardQuestion(page).waitFor();
    // Atlaskit fades a modal in: measure contrast once it is fully shown.
    await page.waitForTimeout(600);
    expect(await axeViolations(page, discardQuestion(page))).toEqual([]);
    await discardQuestion(page).getByRole('button', { name: 'Discard' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await page.close();
  });
});
