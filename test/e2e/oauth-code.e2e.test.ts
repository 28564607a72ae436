/**
 * "Authorize" for an authorization-code custom webhook in a real browser against the app on the local
 * Forge host with its stand-in OAuth provider: the form shows "not authorized" and the redirect URL to
 * register, Authorize opens the provider's consent page in a new tab, Allow sends the tab to the app's
 * web trigger, the form then shows the webhook authorized, and Verify sends a test with the bearer token.
 */
import { createForgeHost, type ForgeHost } from '../../dev/host'; // first: before anything loads @forge/*
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { OAUTH_STANDIN_AUTHORIZE_URL, OAUTH_STANDIN_DEFAULTS, OAUTH_STANDIN_TOKEN_URL } from '../../dev/oauth-standin';
import { axeViolations } from './support/axe';
import { collectPageErrors, describeWithChromium, launchChromium } from './support/browser';
import { startReceiver, type Receiver } from './support/receiver';

jest.setTimeout(120_000);

const APP_DIR = path.resolve(__dirname, '../..');
const ADMIN = 'local-admin';

describeWithChromium('Authorize (OAuth 2.0 authorization code) in the admin page (local Forge host)', () => {
  let browser: Browser;
  let host: ForgeHost;
  let baseUrl: string;
  let siem: Receiver;

  beforeAll(async () => {
    if (!existsSync(path.join(APP_DIR, 'static/admin/build/index.html'))) throw new Error('static/admin/build is missing: run `npm run build:ui` first.');
    siem = await startReceiver({ status: 204, body: '' });
    host = await createForgeHost({ appDir: APP_DIR, admins: [ADMIN], routes: { 'siem.example.test': siem.url }, oauthStandIn: {} });
    baseUrl = (await host.listen(0)).url.replace(/\/$/, '');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await siem?.close();
  });

  it('authorizes through the consent page, shows the status and verifies with the bearer token', async () => {
    const created = (await host.invoke(
      'webhooks.create',
      {
        kind: 'custom',
        name: 'SIEM with consent',
        url: 'https://siem.example.test/hook',
        events: ['issue.created'],
        settings: {
          oauthGrant: 'authorization-code',
          oauthTokenUrl: OAUTH_STANDIN_TOKEN_URL,
          oauthAuthorizeUrl: OAUTH_STANDIN_AUTHORIZE_URL,
          oauthClientId: OAUTH_STANDIN_DEFAULTS.clientId,
          oauthClientSecret: OAUTH_STANDIN_DEFAULTS.clientSecret,
          oauthScope: 'audit.write',
        },
      },
      ADMIN,
    )) as { ok: boolean };
    expect(created.ok).toBe(true);

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
    const row = page.getByRole('row', { name: /SIEM with consent/ });
    await row.getByRole('button', { name: /^Actions for / }).click();
    await row.getByRole('menuitem', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog');
    const status = dialog.getByTestId('oauth-status');
    await status.getByText(/^Not authorized/).waitFor();
    expect(await dialog.getByLabel('Redirect URL').inputValue()).toBe(host.webTriggerUrl('oauth-callback'));
    expect(await dialog.getByTestId('oauth-verify').isDisabled()).toBe(true);
    expect(await axeViolations(page, dialog)).toEqual([]);

    const [consent] = await Promise.all([context.waitForEvent('page'), dialog.getByRole('button', { name: 'Authorize' }).click()]);
    await consent.waitForLoadState();
    expect(consent.url()).toContain('/__forge/oauth-standin/authorize?');
    expect(new URL(consent.url()).searchParams.get('code_challenge_method')).toBe('S256');
    await Promise.all([consent.waitForURL(/\/x1\//), consent.getByRole('button', { name: 'Allow' }).click()]);
    await consent.getByRole('heading', { name: 'Authorized' }).waitFor();
    expect(await consent.textContent('body')).toContain('choose Verify');

    await status.getByText(/^Authorized on /).waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Re-authorize' }).waitFor();
    await dialog.getByTestId('oauth-verify').click();
    await dialog.getByText('The receiver answered HTTP 204 to a test event sent with the access token.').waitFor();
    const provider = host.oauthStandIn();
    expect(provider?.issued).toHaveLength(1);
    expect(siem.requests.at(-1)?.headers.authorization).toBe(`Bearer ${provider?.issued[0]}`);

    const seen = answers.join('\n');
    for (const token of [...(provider?.issued ?? []), ...(provider?.issuedRefresh ?? []), OAUTH_STANDIN_DEFAULTS.clientSecret]) expect(seen).not.toContain(token);
    expect(errors).toEqual([]);
    await context.close();
  });
});
