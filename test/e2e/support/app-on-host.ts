/** The built admin page, served by the app on the local Forge host, and a Chromium to drive it: what every
 * browser test of the real app starts with. Import this module first in a test file: it loads dev/host,
 * which must come before anything that loads @forge/*. */
import { createForgeHost, type ForgeHost } from '../../../dev/host';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';

export const APP_DIR = path.resolve(__dirname, '../../..');
export const ADMIN = 'local-admin';

export interface AppOnHost {
  host: ForgeHost;
  /** the host's URL without a trailing slash */
  baseUrl: string;
  browser: Browser;
}

/** `routes`: host name → local receiver URL, as FORGE_LOCAL_ROUTES. */
export async function startAppOnHost(routes: Record<string, string> = {}): Promise<AppOnHost> {
  if (!existsSync(path.join(APP_DIR, 'static/admin/build/index.html'))) {
    throw new Error('static/admin/build is missing: run `npm run build:ui` before the e2e tests.');
  }
  const host = await createForgeHost({ appDir: APP_DIR, routes, admins: [ADMIN] });
  const baseUrl = (await host.listen(0)).url.replace(/\/$/, '');
  return { host, baseUrl, browser: await launchChromium() };
}

export async function stopAppOnHost(app: Partial<AppOnHost>): Promise<void> {
  await app.browser?.close();
  await app.host?.close();
}
