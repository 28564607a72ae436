/**
 * The only module that talks to the backend. Each function names one resolver key from
 * src/contract/CONTRACT.md and returns its `ApiResult` envelope, so screens handle errors in one place.
 */
import { invoke } from '@forge/bridge';
import type {
  ApiResult,
  CreateWebhookInput,
  DeliveryQuery,
  DeliveryView,
  EventTypeInfo,
  SettingsUpdate,
  SettingsView,
  TestResult,
  UpdateWebhookInput,
  WebhookView,
} from './types';

async function call<T>(functionKey: string, payload: object = {}): Promise<ApiResult<T>> {
  try {
    const result = await invoke<ApiResult<T>>(functionKey, payload as Record<string, unknown>);
    if (result && typeof result === 'object' && 'ok' in result) return result;
    return unavailable(`The app answered "${functionKey}" in an unexpected shape.`);
  } catch (error) {
    // A thrown resolver or a broken bridge: nothing the admin can fix but retrying later.
    const reason = error instanceof Error ? error.message : String(error);
    return unavailable(`Could not reach the app (${reason}).`);
  }
}

function unavailable(message: string): ApiResult<never> {
  return { ok: false, error: { code: 'UNAVAILABLE', message } };
}

export const api = {
  listWebhooks: () => call<{ webhooks: WebhookView[]; eventTypes: EventTypeInfo[] }>('webhooks.list'),
  getWebhook: (id: string) => call<{ webhook: WebhookView }>('webhooks.get', { id }),
  createWebhook: (input: CreateWebhookInput) => call<{ webhook: WebhookView }>('webhooks.create', input),
  updateWebhook: (input: UpdateWebhookInput) => call<{ webhook: WebhookView }>('webhooks.update', input),
  deleteWebhook: (id: string) => call<{ id: string }>('webhooks.delete', { id }),
  testWebhook: (id: string) => call<TestResult>('webhooks.test', { id }),
  randomSecret: () => call<{ secret: string }>('secrets.random'),
  listDeliveries: (query: DeliveryQuery) =>
    call<{ deliveries: DeliveryView[]; nextCursor?: string }>('deliveries.list', query),
  retryDelivery: (id: string) => call<{ delivery: DeliveryView }>('deliveries.retry', { id }),
  recoverDeliveries: (webhookId: string, since: string) =>
    call<{ recovered: number }>('deliveries.recover', { webhookId, since }),
  getSettings: () => call<{ settings: SettingsView }>('settings.get'),
  updateSettings: (input: SettingsUpdate) => call<{ settings: SettingsView }>('settings.update', input),
};

export type Api = typeof api;
