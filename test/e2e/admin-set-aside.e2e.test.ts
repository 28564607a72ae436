/**
 * Issue 9 in the admin page: an event the pipeline sets aside is shown where an admin sees it. Jira
 * events the app cannot read (an issue event without the issue key) are set aside by the real trigger on
 * the local Forge host; the "Set aside" tab lists them (time, stage, reason, event type, subject), newest
 * first, and loads older ones through the cursor. Chromium drives the built page; nothing is mocked.
 */
import { ADMIN, startAppOnHost, stopAppOnHost } from './support/app-on-host'; // first: it loads dev/host
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ForgeHost } from '../../dev/host';
import { expectNoAxeViolations } from './support/axe';
import { collectPageErrors, describeWithChromium, SCREENSHOT_DIR } from './support/browser';
import { issueCreatedEvent } from '../integration/support/jira-events';
/** The page asks for 25 at a time. */
const PAGE = 25;

/** An issue event without the issue key: the normaliser cannot read it. */
const unreadable = (n: number) => {
  const event = issueCreatedEvent({ id: String(30000 + n), key: `SEC-${n}`, summary: `Unreadable ${n}` });
  return { ...event, issue: { ...event.issue, key: undefined } };
};

jest.setTimeout(120_000);

describeWithChromium('admin page: set-aside events', () => {
  let browser: Browser;
  let host: ForgeHost;
  let baseUrl: string;

  beforeAll(async () => {
    ({ host, baseUrl, browser } = await startAppOnHost());
  });

  afterAll(() => stopAppOnHost({ browser, host }));

  /** Every state worth a screenshot is checked by axe too: the whole page, dialogs and menus included. */
  const shot = async (page: Page, name: string) => {
    await expectNoAxeViolations(page, page.locator('body'), name);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `admin-e2e-set-aside-${name}.png`), fullPage: true });
  };

  test('shows the empty state, then each unreadable Jira event with its reason, and loads older ones', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${baseUrl}/resources/admin-ui/?accountId=${encodeURIComponent(ADMIN)}`);
    await page.getByRole('tab', { name: 'Set aside' }).click();
    await page.getByText('Nothing set aside').waitFor();
    await page.getByText('Every event Jira sent was accepted.').waitFor();
    await shot(page, 'empty');

    // PAGE + 1 unreadable events, each set aside by the trigger (the record is written before it returns).
    for (let n = 1; n <= PAGE + 1; n += 1) {
      await host.fireEvent(unreadable(n));
      await new Promise((resolve) => setTimeout(resolve, 3)); // distinct times, so the order is known
    }
    await host.settle();

    await page.getByRole('button', { name: 'Refresh' }).click();
    const table = page.getByRole('table', { name: 'Set-aside events' });
    await table.waitFor();
    const rows = table.locator('tbody > tr');
    await rows.nth(PAGE - 1).waitFor();
    expect(await rows.count()).toBe(PAGE);

    // The newest first: the last one fired.
    const newest = rows.first();
    await newest.getByText('Not readable', { exact: true }).waitFor();
    expect(await newest.innerText()).toContain('avi:jira:created:issue');
    expect(await newest.innerText()).toContain(`issue ${30000 + PAGE + 1}`);
    const reason = await newest.locator('td').nth(2).innerText();
    expect(reason).toMatch(/^The app could not read this Jira event: .*issue\.key/);
    await shot(page, 'list');

    // The oldest is on the next page, through the cursor.
    expect(await table.innerText()).not.toContain(`issue 30001`);
    await page.getByRole('button', { name: 'Load more' }).click();
    await rows.nth(PAGE).waitFor();
    expect(await rows.count()).toBe(PAGE + 1);
    expect(await rows.last().innerText()).toContain('issue 30001');
    await page.getByRole('button', { name: 'Load more' }).waitFor({ state: 'detached' });
    await expectNoAxeViolations(page, page.locator('main'), 'older ones loaded');

    expect(errors).toEqual([]);
    await page.close();
  });
});
