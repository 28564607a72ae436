/**
 * Jira flags after every change: the admin page calls showFlag (from @forge/bridge) after a webhook is
 * switched off or on and deleted; the local host's bridge keeps each flag in the window's __forgeFlags
 * (its page draws them outside the app's frame, as Jira does).
 */
import { ADMIN, startAppOnHost, stopAppOnHost } from './support/app-on-host'; // first: it loads dev/host
import type { Browser } from 'playwright-core';
import type { ForgeHost } from '../../dev/host';
import { expectNoAxeViolations } from './support/axe';
import { collectPageErrors, describeWithChromium } from './support/browser';

jest.setTimeout(120_000);

describeWithChromium('Jira flags after changes (local Forge host)', () => {
  let browser: Browser;
  let host: ForgeHost;
  let baseUrl: string;

  beforeAll(async () => {
    ({ host, baseUrl, browser } = await startAppOnHost({}));
  });
  afterAll(async () => {
    await stopAppOnHost({ browser, host });
  });

  it('shows a flag when a webhook is switched off and when it is deleted', async () => {
    const created = (await host.invoke('webhooks.create', { kind: 'slack', name: '#flags', url: 'https://hooks.slack.com/services/T0001ABCD/B0002EFGH/abcdEFGH1234ijklMNOP5678', events: ['*'] }, ADMIN)) as { ok: boolean };
    expect(created.ok).toBe(true);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${baseUrl}/resources/admin-ui/?accountId=${encodeURIComponent(ADMIN)}`);
    await page.getByText('#flags').first().waitFor();
    const flags = () => page.evaluate(() => ((window as unknown as { __forgeFlags?: { title: string; appearance: string }[] }).__forgeFlags ?? []).map((f) => `${f.appearance}: ${f.title}`));
    await page.getByLabel('Enabled: #flags').click({ force: true });
    await page.waitForFunction(() => ((window as unknown as { __forgeFlags?: unknown[] }).__forgeFlags ?? []).length > 0);
    expect(await flags()).toEqual(['info: “#flags” turned off']);
    await expectNoAxeViolations(page, page.locator('main'), 'switched off');
    await page.getByRole('button', { name: 'Actions for #flags' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await expectNoAxeViolations(page, page.getByRole('dialog'), 'delete question');
    await page.getByRole('dialog').getByRole('button', { name: /^delete/i }).click();
    await page.waitForFunction(() => ((window as unknown as { __forgeFlags?: unknown[] }).__forgeFlags ?? []).length > 1);
    expect((await flags())[1]).toBe('info: “#flags” deleted');
    await expectNoAxeViolations(page, page.locator('main'), 'deleted, empty list');
    expect(errors).toEqual([]);
    await page.close();
  });
});
