/**
 * The only module that talks to the backend. `call` is the contract's AdminClient over @forge/bridge
 * invoke: each resolver key takes its contract input and answers its `ApiResult` envelope, so screens
 * handle errors in one place.
 */
import { invoke } from '@forge/bridge';
import type {
  AdminClient,
  AdminFunctionKey,
  AdminInput,
  AdminResult,
  CreateWebhookInput,
  DeliveryStatsInput,
  ListDeliveriesInput,
  ListSetAsideInput,
  PreviewTemplateInput,
  UpdateSettingsInput,
  UpdateWebhookInput,
} from './types';

export const call: AdminClient = async <K extends AdminFunctionKey>(key: K, input: AdminInput<K>) => {
  try {
    const result = await invoke<AdminResult<K>>(key, input as Record<string, unknown>);
    if (result && typeof result === 'object' && 'ok' in result) return result;
    return unavailable(`The app answered "${key}" in an unexpected shape. Reload the page; if it persists, check the app's logs.`);
  } catch (error) {
    // A thrown resolver or a broken bridge: nothing the admin can fix but retrying later.
    const reason = error instanceof Error ? error.message : String(error);
    return unavailable(`Could not reach the app (${reason}).`);
  }
};

function unavailable(message: string): { ok: false; error: { code: 'UNAVAILABLE'; message: string } } {
  return { ok: false, error: { code: 'UNAVAILABLE', message } };
}

export const api = {
  listWebhooks: () => call('webhooks.list', {}),
  getWebhook: (id: string) => call('webhooks.get', { id }),
  createWebhook: (input: CreateWebhookInput) => call('webhooks.create', input),
  updateWebhook: (input: UpdateWebhookInput) => call('webhooks.update', input),
  deleteWebhook: (id: string) => call('webhooks.delete', { id }),
  testWebhook: (id: string) => call('webhooks.test', { id }),
  previewTemplate: (input: PreviewTemplateInput) => call('webhooks.previewTemplate', input),
  oauthAuthorize: (id: string) => call('webhooks.oauthAuthorize', { id }),
  oauthStatus: (id: string) => call('webhooks.oauthStatus', { id }),
  randomSecret: () => call('secrets.random', {}),
  listDeliveries: (query: ListDeliveriesInput) => call('deliveries.list', query),
  retryDelivery: (id: string) => call('deliveries.retry', { id }),
  recoverDeliveries: (webhookId: string, since: string, cursor?: string) => call('deliveries.recover', { webhookId, since, ...(cursor ? { cursor } : {}) }),
  getSettings: () => call('settings.get', {}),
  updateSettings: (input: UpdateSettingsInput) => call('settings.update', input),
  listSetAside: (query: ListSetAsideInput) => call('events.setAside', query),
  deliveryStats: (input: DeliveryStatsInput) => call('deliveries.stats', input),
};
