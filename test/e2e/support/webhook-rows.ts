import type { Locator, Page } from 'playwright-core';
import type { ForgeHost } from '../../../dev/host';
import type { WebhookView } from '../../../src/contract';
import { ADMIN } from './app-on-host';

/** The stored webhook with this name, through the admin API (what the page saved, not what it shows). */
export async function webhookNamed(host: ForgeHost, name: string): Promise<WebhookView> {
  const answer = (await host.invoke('webhooks.list', {}, ADMIN)) as { ok: boolean; data?: { webhooks: WebhookView[] } };
  const found = answer.data?.webhooks.find((webhook) => webhook.name === name);
  if (!found) throw new Error(`no webhook named ${name}`);
  return found;
}

/** Opens the edit form from the row's ••• menu and waits for the field labelled `readyLabel` in it. */
export async function openEditForm(page: Page, name: string, readyLabel: string): Promise<{ row: Locator; dialog: Locator }> {
  const row = page.getByRole('row', { name: new RegExp(name) });
  await row.getByRole('button', { name: /^Actions for / }).click();
  await row.getByRole('menuitem', { name: 'Edit' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(readyLabel).waitFor();
  return { row, dialog };
}
