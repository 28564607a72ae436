/**
 * The Activity tab end to end: the built admin page on the local Forge host (manual clock, so retries run
 * only when the test moves time), the app's real delivery engine and hourly aggregates, and a node:http
 * receiver the host routes https://charts.example.test to. The receiver accepts some events, refuses one
 * for good (400) and fails one once (500, then accepted on the retry); the tab's summary and table must
 * count those attempts by outcome, per webhook and overall, in light and dark, with axe finding nothing.
 * Screenshots go to SCREENSHOT_DIR; with UPDATE_DOCS_SCREENSHOTS=1 also to docs/screenshots/ for the README.
 */
import { createForgeHost, type ForgeHost } from '../../dev/host'; // first: dev/host must load before @forge/*
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { flush } from '../integration/support/delivery-bed';
import { issueCreatedEvent } from '../integration/support/jira-events';
import { ADMIN, APP_DIR } from './support/app-on-host';
import { axeViolations, expectNoAxeViolations as expectPageAxeClean } from './support/axe';
import { collectPageErrors, describeWithChromium, launchChromium, SCREENSHOT_DIR } from './support/browser';
import { startReceiver, type Receiver } from './support/receiver';

jest.setTimeout(180_000);

const ACCEPT = { status: 200, body: '{"ok":true}' };
const REFUSE = { status: 400, body: '{"error":"schema"}' };
const OUTAGE = { status: 500, body: '{"error":"down"}' };
const DOCS_SCREENSHOTS = path.join(APP_DIR, 'docs/screenshots');

interface Counts {
  delivered: number;
  retried: number;
  failed: number;
}

describeWithChromium('Activity charts on the local Forge host', () => {
  let browser: Browser;
  let host: ForgeHost;
  let receiver: Receiver;
  let other: Receiver;
  let baseUrl: string;
  /** What the receivers answered, by outcome: the truth the charts must show. */
  const sent: Record<'charts' | 'other', Counts> = {
    charts: { delivered: 0, retried: 0, failed: 0 },
    other: { delivered: 0, retried: 0, failed: 0 },
  };
  let issue = 0;

  /** Fires one issue-created event with the receiver answering `answer`, and runs what falls due now. */
  const deliver = async (answer: typeof ACCEPT, outcome: keyof Counts) => {
    receiver.answer = answer;
    const before = { charts: receiver.requests.length, other: other.requests.length };
    issue += 1;
    await host.fireEvent(issueCreatedEvent({ id: String(30000 + issue), key: `CHART-${issue}`, summary: `Chart event ${issue}` }));
    await flush(host);
    // One event, one request per webhook (a duplicate run is deduplicated by the app, never re-sent).
    expect(receiver.requests.length - before.charts).toBe(1);
    expect(other.requests.length - before.other).toBe(1);
    sent.charts[outcome] += 1;
    sent.other.delivered += 1;
  };

  beforeAll(async () => {
    receiver = await startReceiver(ACCEPT);
    other = await startReceiver(ACCEPT);
    host = await createForgeHost({
      appDir: APP_DIR,
      routes: { 'charts.example.test': receiver.url, 'other.example.test': other.url },
      admins: [ADMIN],
      clock: 'manual',
      startTime: new Date(),
    });
    baseUrl = (await host.listen(0)).url.replace(/\/$/, '');
    browser = await launchChromium();
    for (const [name, url] of [
      ['Charted SIEM', 'https://charts.example.test/hook'],
      ['Other SIEM', 'https://other.example.test/hook'],
    ]) {
      const created = (await host.invoke('webhooks.create', { kind: 'custom', name, url, events: ['issue.created'] }, ADMIN)) as { ok: boolean };
      expect(created.ok).toBe(true);
    }
    // A webhook for an event the test never fires: its Activity is the empty state.
    const quiet = (await host.invoke('webhooks.create', { kind: 'custom', name: 'Quiet SIEM', url: 'https://other.example.test/quiet', events: ['issue.deleted'] }, ADMIN)) as { ok: boolean };
    expect(quiet.ok).toBe(true);
    await host.settle();
    await deliver(ACCEPT, 'delivered');
    await deliver(ACCEPT, 'delivered');
    await deliver(REFUSE, 'failed'); // a 400 is not retried: failed for good
    await deliver(OUTAGE, 'retried'); // a 500 is retried later...
    receiver.answer = ACCEPT;
    const before = receiver.requests.length;
    await host.advance(15 * 60); // ...and the retry, once time has moved, is accepted
    expect(receiver.requests.length - before).toBe(1);
    sent.charts.delivered += 1;
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await receiver?.close();
    await other?.close();
  });

  async function openActivity(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    const errors = collectPageErrors(page);
    await page.goto(`${baseUrl}/resources/admin-ui/?accountId=${encodeURIComponent(ADMIN)}`);
    await page.getByRole('tab', { name: 'Activity' }).click();
    await page.getByTestId('activity-totals').waitFor();
    return { page, errors };
  }

  /** The hours table, summed by outcome: what the charts draw, read as text. */
  async function tableCounts(page: Page): Promise<Counts> {
    const details = page.locator('details', { has: page.getByRole('table', { name: 'Deliveries per hour', includeHidden: true }) });
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
    const table = page.getByRole('table', { name: 'Deliveries per hour' });
    const headers = await table.locator('thead th').allInnerTexts();
    const column = (name: string) => headers.indexOf(name);
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (cell) => (cell as HTMLElement).innerText)));
    const sum = (name: string) => rows.reduce((total, cells) => total + Number((cells[column(name)] ?? '0').replace(/\D/g, '')), 0);
    return { delivered: sum('Delivered'), retried: sum('Retried'), failed: sum('Failed') };
  }

  const totalsText = (c: Counts) => `${c.delivered} delivered, ${c.retried} retried, ${c.failed} failed (${c.delivered + c.retried + c.failed} attempts)`;

  const shot = async (page: Page, name: string) => {
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `charts-e2e-${name}.png`), fullPage: true });
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
      if (!existsSync(DOCS_SCREENSHOTS)) mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(DOCS_SCREENSHOTS, `${name}.png`), fullPage: true });
    }
  };

  /** Atlaskit's fields fade to the new theme's colours (CSS transitions): axe must not measure mid-fade. */
  const settleTransitions = (page: Page) =>
    page.waitForFunction(() => document.getAnimations().every((animation) => animation.playState !== 'running'));

  const expectNoAxeViolations = async (page: Page, name: string) => {
    const violations = await axeViolations(page, page.getByRole('tabpanel'));
    expect({ name, violations }).toEqual({ name, violations: [] });
  };

  test('counts every attempt by outcome, overall and per webhook, over 24 hours and 7 days, in light and dark', async () => {
    const { page, errors } = await openActivity();
    const overall: Counts = {
      delivered: sent.charts.delivered + sent.other.delivered,
      retried: sent.charts.retried + sent.other.retried,
      failed: sent.charts.failed + sent.other.failed,
    };
    expect(overall).toEqual({ delivered: 7, retried: 1, failed: 1 });

    // All webhooks, the last 24 hours (the default).
    const totals = page.getByTestId('activity-totals');
    expect(await totals.innerText()).toContain(`All webhooks, the last 24 hours: ${totalsText(overall)}`);
    expect(await totals.innerText()).toMatch(/mean latency \d/);
    expect(await tableCounts(page)).toEqual(overall);
    // Both charts are drawn, named and described.
    const deliveries = page.getByRole('figure', { name: 'Deliveries per hour' });
    await deliveries.locator('.recharts-bar-rectangle').first().waitFor();
    expect(await deliveries.getAttribute('aria-describedby')).toBeTruthy();
    await page.getByRole('figure', { name: 'Mean latency per hour' }).locator('.recharts-line-curve, .recharts-line-dot').first().waitFor({ state: 'attached' });
    expect(await page.getByRole('button', { name: '24 hours' }).getAttribute('aria-pressed')).toBe('true');
    // The keyboard reaches the chart after the range buttons; arrow keys walk its hours with the tooltip.
    await page.getByRole('button', { name: '7 days' }).focus();
    await page.keyboard.press('Tab');
    expect(await deliveries.evaluate((figure) => figure.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('ArrowLeft');
    await deliveries.locator('.recharts-tooltip-wrapper').filter({ hasText: 'Delivered' }).waitFor();
    await expectNoAxeViolations(page, 'light, all webhooks');
    await shot(page, 'activity-light');

    // Dark: the page follows the OS colour scheme with Atlassian's themes; the same numbers.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('html[data-color-mode="dark"]').waitFor({ state: 'attached' });
    await settleTransitions(page);
    expect(await tableCounts(page)).toEqual(overall);
    await expectNoAxeViolations(page, 'dark, all webhooks');
    await shot(page, 'activity-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // One webhook: only its attempts (the 400 and the 500 were the charted receiver's alone).
    await page.getByRole('combobox', { name: 'Webhook' }).click();
    await page.getByRole('option', { name: 'Charted SIEM' }).waitFor();
    await expectPageAxeClean(page, page.locator('body'), 'webhook dropdown open');
    await page.getByRole('option', { name: 'Charted SIEM' }).click();
    await totals.filter({ hasText: 'Charted SIEM, the last 24 hours' }).waitFor();
    expect(await totals.innerText()).toContain(totalsText(sent.charts));
    expect(await tableCounts(page)).toEqual(sent.charts);

    // Seven days, by keyboard: the same attempts, as nothing older exists.
    await page.getByRole('button', { name: '7 days' }).focus();
    await page.keyboard.press('Enter');
    await totals.filter({ hasText: 'Charted SIEM, the last 7 days' }).waitFor();
    expect(await page.getByRole('button', { name: '7 days' }).getAttribute('aria-pressed')).toBe('true');
    expect(await tableCounts(page)).toEqual(sent.charts);
    await expectNoAxeViolations(page, 'light, one webhook, 7 days');

    // A webhook that has sent nothing: an empty state that says so, not an empty chart.
    await page.getByRole('combobox', { name: 'Webhook' }).click();
    await page.getByRole('option', { name: 'Quiet SIEM' }).click();
    const empty = page.getByTestId('activity-empty');
    await empty.getByRole('heading', { name: 'Nothing sent in the last 7 days' }).waitFor();
    expect(await empty.innerText()).toContain('No delivery was attempted for Quiet SIEM');
    expect(await page.getByRole('figure').count()).toBe(0);
    await expectNoAxeViolations(page, 'empty state');

    expect(errors).toEqual([]);
    await page.close();
  });
});
