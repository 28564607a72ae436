/**
 * The admin page at 800 px, the narrowest Jira admin layout the issue asks for, in light and dark: every
 * main view (webhooks list, create form with errors shown, delivery log with the inspector open, Activity,
 * Settings) fits without a horizontal page scroll, its key controls are visible and reached by the
 * keyboard, axe finds nothing, and the page logs no error. Debian's Chromium drives the built page on the
 * local Forge host; a node:http receiver refuses every delivery (400), so the health reasons are long.
 * The same states at 1280 px are the README's screenshots: with UPDATE_DOCS_SCREENSHOTS=1 they are
 * written to docs/screenshots/ (otherwise only to SCREENSHOT_DIR).
 */
import { ADMIN, APP_DIR, startAppOnHost, stopAppOnHost } from './support/app-on-host'; // first: it loads dev/host
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { ForgeHost } from '../../dev/host';
import { issueCreatedEvent } from '../integration/support/jira-events';
import { axeViolations } from './support/axe';
import { collectPageErrors, describeWithChromium, SCREENSHOT_DIR } from './support/browser';
import { startReceiver, type Receiver } from './support/receiver';

jest.setTimeout(300_000);

const DOCS_SCREENSHOTS = path.join(APP_DIR, 'docs/screenshots');
type Scheme = 'light' | 'dark';

describeWithChromium('admin page at 800 px, light and dark', () => {
  let browser: Browser;
  let host: ForgeHost;
  let baseUrl: string;
  let refusing: Receiver;

  beforeAll(async () => {
    refusing = await startReceiver({ status: 400, body: '{"error":"the collector refused this token; check the HEC token and index"}' });
    ({ host, baseUrl, browser } = await startAppOnHost({ 'narrow.example.test': refusing.url }));
    const create = async (name: string, url: string, events: string[]) => {
      const answer = (await host.invoke('webhooks.create', { kind: 'custom', name, url, events }, ADMIN)) as { ok: boolean; error?: unknown };
      if (!answer.ok) throw new Error(`webhooks.create: ${JSON.stringify(answer.error)}`);
    };
    // A long name and a long URL: what makes a narrow table overflow if anything can.
    await create('Security operations centre (Splunk, production tenant)', 'https://narrow.example.test/services/collector/event/with/a/rather/long/path?channel=0b6e3a52-9d3c-4f7a-8d55-2f9a3c1e7b10', ['issue.created']);
    await create('Quiet SIEM', 'https://narrow.example.test/quiet', ['project.created']);
    // Three refused deliveries make the first webhook failing, with a reason in words.
    for (const n of [1, 2, 3]) await host.fireEvent(issueCreatedEvent({ id: String(50000 + n), key: `NAR-${n}`, summary: `Narrow ${n}` }));
    await host.settle();
    for (let waited = 0; refusing.requests.length < 3; waited += 100) {
      if (waited > 30_000) throw new Error('the receiver got fewer than 3 requests within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await host.settle();
  });

  afterAll(async () => {
    await stopAppOnHost({ browser, host });
    await refusing?.close();
  });

  async function openPage(width: number, scheme: Scheme): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
    const errors = collectPageErrors(page);
    await page.goto(`${baseUrl}/resources/admin-ui/?accountId=${encodeURIComponent(ADMIN)}`);
    await page.locator(`html[data-color-mode="${scheme}"]`).waitFor({ state: 'attached', timeout: 60_000 });
    await page.getByRole('table', { name: 'Webhooks' }).waitFor({ timeout: 60_000 });
    return { page, errors };
  }

  /** Atlaskit fades colours and slides panels in (CSS transitions): measure and check only once they stop. */
  const settle = (page: Page) => page.waitForFunction(() => document.getAnimations().every((animation) => animation.playState !== 'running'));

  /** The page itself never scrolls sideways (a wide table may scroll inside its own region). */
  const expectNoPageOverflow = async (page: Page, view: string) => {
    const widths = await page.evaluate(() => ({ scroll: document.scrollingElement?.scrollWidth ?? 0, viewport: window.innerWidth }));
    if (widths.scroll > widths.viewport) {
      const culprits = await page.evaluate(() =>
        Array.from(document.querySelectorAll('body *'))
          .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
          .slice(0, 8)
          .map((element) => `${element.tagName}.${String(element.className).slice(0, 60)}#${element.id} testid=${element.getAttribute('data-testid')} right=${Math.round(element.getBoundingClientRect().right)}`),
      );
      console.log(view, culprits.join('\n'));
    }
    expect({ view, overflowPx: Math.max(0, widths.scroll - widths.viewport) }).toEqual({ view, overflowPx: 0 });
  };

  const expectNoAxeViolations = async (page: Page, within: Locator, view: string) => {
    await settle(page);
    const violations = await axeViolations(page, within);
    expect({ view, violations }).toEqual({ view, violations: [] });
  };

  /** Visible, inside the viewport's width, and focused when the keyboard moves to it. */
  const expectKeyboardReachable = async (page: Page, control: Locator, view: string, keys: 'Tab' | 'Shift+Tab' = 'Tab', presses = 60) => {
    await control.scrollIntoViewIfNeeded();
    expect({ view, visible: await control.isVisible() }).toEqual({ view, visible: true });
    const box = await control.boundingBox();
    const width = page.viewportSize()?.width ?? 0;
    expect({ view, inside: box !== null && box.x >= 0 && box.x + box.width <= width }).toEqual({ view, inside: true });
    for (let n = 0; n < presses; n += 1) {
      if (await control.evaluate((element) => element === document.activeElement || element.contains(document.activeElement))) return;
      await page.keyboard.press(keys);
    }
    throw new Error(`${view}: the keyboard did not reach ${control.toString()} in ${presses} presses`);
  };

  const shot = async (page: Page, name: string, docs: boolean) => {
    await settle(page);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `narrow-e2e-${name}.png`), fullPage: true });
    if (docs && process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
      if (!existsSync(DOCS_SCREENSHOTS)) mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(DOCS_SCREENSHOTS, `${name}.png`), fullPage: true });
    }
  };

  /** Walks the main views at `width` in `scheme`, checking each; the 1280 px walk also feeds the README. */
  async function walkViews(width: number, scheme: Scheme): Promise<void> {
    const narrow = width < 1000;
    const docs = !narrow;
    const tag = narrow ? `${scheme}-${width}` : scheme;
    const { page, errors } = await openPage(width, scheme);
    const main = page.locator('main');

    // Webhooks list: the failing webhook's long reason is one line, the whole of it in a tooltip the keyboard opens.
    await page.getByText('Failing', { exact: true }).first().waitFor();
    await expectNoPageOverflow(page, `${tag} webhooks list`);
    const reason = page.getByRole('row', { name: /Security operations/ }).getByTestId('health-reason');
    expect(await reason.evaluate((element) => getComputedStyle(element).textOverflow)).toBe('ellipsis');
    expect(await reason.evaluate((element) => element.getBoundingClientRect().height)).toBeLessThan(24);
    await page.getByRole('tab', { name: 'Webhooks' }).focus();
    await expectKeyboardReachable(page, reason, `${tag} health reason`);
    await page.getByRole('tooltip').filter({ hasText: 'HTTP 400 from receiver' }).waitFor();
    await expectKeyboardReachable(page, page.getByRole('button', { name: /^Actions for Security operations/ }), `${tag} actions menu`);
    await expectNoAxeViolations(page, main, `${tag} webhooks list`);
    await shot(page, narrow ? `narrow-webhooks-${tag}` : `webhooks-${scheme}`, docs);

    // The ••• menu open.
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'Edit' }).waitFor();
    await expectNoPageOverflow(page, `${tag} actions menu open`);
    await expectNoAxeViolations(page, main, `${tag} actions menu open`);
    await page.keyboard.press('Escape');

    // Create form: guided steps, required marks, checks as you type, errors shown.
    await page.getByRole('button', { name: 'Create webhook', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Create webhook' });
    await dialog.getByLabel('Name').waitFor();
    await dialog.getByRole('navigation', { name: 'Steps to create a webhook' }).waitFor();
    await expectNoPageOverflow(page, `${tag} create form`);
    await shot(page, narrow ? `narrow-create-${tag}` : `create-form-${scheme}`, docs);
    await expectKeyboardReachable(page, dialog.getByRole('button', { name: 'Create webhook' }), `${tag} create button`);
    await expectNoAxeViolations(page, dialog, `${tag} create form`);
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    await dialog.getByText('The webhook was not saved').waitFor();
    await expectNoPageOverflow(page, `${tag} create form with errors`);
    await expectNoAxeViolations(page, dialog, `${tag} create form with errors`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Delivery log, then the inspector of a refused delivery.
    await page.getByRole('tab', { name: 'Delivery log' }).click();
    const table = page.getByRole('table', { name: 'Deliveries' });
    await table.locator('tbody > tr[data-delivery-id]').first().waitFor();
    await expectNoPageOverflow(page, `${tag} delivery log`);
    await page.getByRole('tab', { name: 'Delivery log' }).focus();
    await expectKeyboardReachable(page, page.getByRole('button', { name: 'Refresh' }), `${tag} delivery log refresh`);
    await expectNoAxeViolations(page, main, `${tag} delivery log`);
    await table.locator('tbody > tr[data-delivery-id]').first().getByText('Security operations', { exact: false }).click();
    const inspector = page.getByRole('dialog');
    await inspector.getByRole('tab', { name: 'Response' }).waitFor();
    await expectNoPageOverflow(page, `${tag} inspector`);
    // Tabs are one stop (roving focus): Tab reaches the selected one, an arrow key the next.
    await expectKeyboardReachable(page, inspector.getByRole('tab', { name: 'Request' }), `${tag} inspector request tab`);
    await page.keyboard.press('ArrowRight');
    expect(await inspector.getByRole('tab', { name: 'Response' }).evaluate((tab) => tab === document.activeElement)).toBe(true);
    await inspector.getByRole('region', { name: 'Response body' }).waitFor();
    await expectNoAxeViolations(page, inspector, `${tag} inspector`);
    await shot(page, narrow ? `narrow-inspector-${tag}` : `delivery-log-${scheme}`, docs);
    await page.keyboard.press('Escape');
    await inspector.waitFor({ state: 'detached' });

    // Activity charts.
    await page.getByRole('tab', { name: 'Activity' }).click();
    await page.getByTestId('activity-totals').waitFor();
    await expectNoPageOverflow(page, `${tag} activity`);
    await expectKeyboardReachable(page, page.getByRole('button', { name: '7 days' }), `${tag} activity range`, 'Tab');
    await expectNoAxeViolations(page, main, `${tag} activity`);
    await shot(page, `narrow-activity-${tag}`, false);

    // Settings.
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Audit log poll' }).waitFor();
    await expectNoPageOverflow(page, `${tag} settings`);
    await page.getByRole('tab', { name: 'Settings' }).focus();
    await expectKeyboardReachable(page, page.getByRole('button', { name: 'Request backfill' }), `${tag} settings backfill`);
    await expectNoAxeViolations(page, main, `${tag} settings`);
    await shot(page, `narrow-settings-${tag}`, false);

    expect({ view: tag, errors }).toEqual({ view: tag, errors: [] });
    await page.close();
  }

  test('800 px, light: every main view fits, is reached by the keyboard, and axe finds nothing', () => walkViews(800, 'light'));
  test('800 px, dark: the same', () => walkViews(800, 'dark'));
  test('1280 px, light and dark: the same, and the README screenshots', async () => {
    await walkViews(1280, 'light');
    await walkViews(1280, 'dark');
  });
});
