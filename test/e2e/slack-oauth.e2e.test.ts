/**
 * "Add to Slack" in a real browser against the app on the local Forge host: the button opens Slack's
 * consent page (the host's stand-in) in a new tab, the admin picks a channel and allows, Slack sends the
 * tab to the app's web trigger, and the admin page lists the new webhook.
 */
import { createForgeHost, type ForgeHost } from '../../dev/host'; // first: before anything loads @forge/*
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { expectNoAxeViolations } from './support/axe';
import { collectPageErrors, describeWithChromium, launchChromium } from './support/browser';
import { startReceiver, type Receiver } from './support/receiver';

jest.setTimeout(120_000);

const APP_DIR = path.resolve(__dirname, '../..');
const ADMIN = 'local-admin';
const CLIENT_SECRET = 'e2e-slack-client-secret-41d7';

describeWithChromium('Add to Slack in the admin page (local Forge host)', () => {
  let browser: Browser;
  let host: ForgeHost;
  let baseUrl: string;
  let slack: Receiver;

  beforeAll(async () => {
    if (!existsSync(path.join(APP_DIR, 'static/admin/build/index.html'))) throw new Error('static/admin/build is missing: run `npm run build:ui` first.');
    slack = await startReceiver({ status: 200, body: 'ok' });
    host = await createForgeHost({
      appDir: APP_DIR,
      admins: [ADMIN],
      routes: { 'hooks.slack.com': slack.url },
      variables: { SLACK_CLIENT_ID: 'e2e-slack-client', SLACK_CLIENT_SECRET: CLIENT_SECRET },
      slack: { clientId: 'e2e-slack-client', clientSecret: CLIENT_SECRET },
    });
    baseUrl = (await host.listen(0)).url.replace(/\/$/, '');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await slack?.close();
  });

  it('clicking Add to Slack, choosing a channel and allowing lists the webhook', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const answers: string[] = [];
    context.on('response', (response) => {
      void response.text().then(
        (text) => answers.push(text),
        () => undefined,
      );
    });
    await page.goto(`${baseUrl}/resources/admin-ui/?accountId=${encodeURIComponent(ADMIN)}`);
    const button = page.getByRole('button', { name: 'Add to Slack' });
    await button.waitFor();
    await expectNoAxeViolations(page, page.locator('main'), 'before Add to Slack');

    const [consent] = await Promise.all([context.waitForEvent('page'), button.click()]);
    await consent.waitForLoadState();
    expect(consent.url()).toContain('/__forge/slack/oauth/v2/authorize?');
    expect(new URL(consent.url()).searchParams.get('scope')).toBe('incoming-webhook');
    await consent.getByLabel('#jira-audit').check();
    await Promise.all([consent.waitForURL(/\/x1\//), consent.getByRole('button', { name: 'Allow' }).click()]);
    await consent.getByText('Slack connected').first().waitFor();
    expect(await consent.textContent('body')).toContain('You can close this tab');

    await page.getByText('#jira-audit (Acme)', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByText('“#jira-audit (Acme)” was added').waitFor();
    const row = page.getByRole('row').filter({ hasText: '#jira-audit (Acme)' });
    expect(await row.textContent()).toContain('Slack');
    expect(await row.textContent()).toContain('https://hooks.slack.com/services/');
    await expectNoAxeViolations(page, page.locator('main'), 'Slack webhook listed');

    expect(answers.join('\n')).not.toContain(CLIENT_SECRET);
    expect(errors).toEqual([]);
    await context.close();
  });
});
