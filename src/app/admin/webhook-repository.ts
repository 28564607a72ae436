/**
 * Where webhooks live.
 *
 *   KVS  webhook:<id>          WebhookRecord: the non-secret config (name, events, method, timeout,
 *                              signing, masked URL, secret ids/previews/createdAt/expiresAt, header
 *                              names and non-sensitive values, authorization scheme) and `version`.
 *   KVS  webhook-health:<id>   EndpointHealth, written by the delivery engine through setHealth. Kept
 *                              apart so that health updates never bump `version`: an admin editing a
 *                              failing webhook must not get a spurious CONFLICT from a delivery attempt,
 *                              and a health write never rewrites (so never loses) an admin's edit.
 *                              Written never-delivered when the webhook is created or re-enabled (and, for a webhook created
 *                              before that, once by the first delivery that finds none), so every
 *                              delivery job's read of it is a hit: KVS counts a miss as a read unit too.
 *   KVS  webhook-config-lock   Held (setIfAbsent, 30 s TTL) while an admin change is read, checked and
 *                              written, so version checks and name uniqueness hold between two admins.
 *   SecretStore webhook-secret:<id>
 *                              WebhookSecretMaterial: { url, secrets: [{id, value}], authorization?,
 *                              sensitiveHeaders: {name: value}, credentials?: {setting: value} }. The whole URL is here because it
 *                              may carry the receiver's token (Slack, ?code=).
 *
 * Writes go material first, then record: a crash in between leaves the old record pointing at new
 * material, which getDeliveryConfig joins by secret id, so it never signs with a secret the record
 * does not list. KVS prefix queries on "webhook:" do not match "webhook-health:" or the lock.
 */
import type { WebhookRetryPolicy } from '../../domain/delivery/webhook-retry-policy';
import { neverDelivered, type EndpointHealth } from '../../domain/delivery/health';
import type { SettingValue } from '../../domain/destinations/contract';
import type { HttpMethod, WebhookKind } from '../../domain/webhook/model';
import type { SigningConfig } from '../../domain/webhook/signing-rules';
import type { Clock, KeyValueStore, SecretStore } from '../ports';
import { isActiveSecret, type WebhookRecord, type WebhookSecretMaterial } from './webhook-record';
import { grantSecretKey, grantStatusKey } from '../delivery/oauth-code-grant';

export const WEBHOOK_PREFIX = 'webhook:';
export const webhookKey = (id: string): string => `${WEBHOOK_PREFIX}${id}`;
export const healthKey = (id: string): string => `webhook-health:${id}`;
export const secretKey = (id: string): string => `webhook-secret:${id}`;
export const CONFIG_LOCK_KEY = 'webhook-config-lock';

/** Everything the delivery engine needs to sign and send one webhook's messages. */
export interface DeliveryConfig {
  id: string;
  version: number;
  kind: WebhookKind;
  name: string;
  url: string;
  /** The URL as logs and the delivery log may show it. */
  displayUrl: string;
  method: HttpMethod;
  timeoutSeconds: number;
  signing: SigningConfig;
  /** Active secrets, newest first, including those in their grace period. */
  secrets: { id: string; value: string; expiresAt?: string }[];
  authorization?: string;
  /** Every configured header with its value; `sensitive` says which values to redact when logging. */
  headers: { name: string; value: string; sensitive: boolean }[];
  events: string[];
  /** The kind's settings with its secret ones (from the material) merged in. */
  settings: Record<string, SettingValue>;
  batchEvents?: number;
  /** The payload template (JSONata) of a custom webhook. */
  template?: string;
  /** How failed deliveries are retried; absent: the default schedule. */
  retryPolicy?: WebhookRetryPolicy;
  /** The admin's switch and the engine's auto-disable combined: false means send nothing. */
  enabled: boolean;
  health: EndpointHealth;
}

export interface StoredWebhook {
  record: WebhookRecord;
  health: EndpointHealth;
}

export class WebhookRepository {
  constructor(
    private readonly kvs: KeyValueStore,
    private readonly secrets: SecretStore,
    private readonly clock: Clock,
  ) {}

  /** Every webhook with its health, in id order. */
  async list(): Promise<StoredWebhook[]> {
    const records: WebhookRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.kvs.query<WebhookRecord>(WEBHOOK_PREFIX, { limit: 100, cursor });
      records.push(...page.results.map((entry) => entry.value));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return Promise.all(records.map(async (record) => ({ record, health: await this.getHealth(record) })));
  }

  /** Whether an enabled webhook lists this event type by name (records only: one query per 100 webhooks, no health reads). */
  async anyEnabledLists(eventType: string): Promise<boolean> {
    let cursor: string | undefined;
    do {
      const page = await this.kvs.query<WebhookRecord>(WEBHOOK_PREFIX, { limit: 100, cursor });
      if (page.results.some(({ value }) => value.enabled && value.events.includes(eventType))) return true;
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return false;
  }

  async get(id: string): Promise<StoredWebhook | undefined> {
    const record = await this.kvs.get<WebhookRecord>(webhookKey(id));
    return record && { record, health: await this.getHealth(record) };
  }

  async getMaterial(id: string): Promise<WebhookSecretMaterial | undefined> {
    return this.secrets.get<WebhookSecretMaterial>(secretKey(id));
  }

  /** undefined when the webhook does not exist (or was half deleted): deliver nothing. */
  async getDeliveryConfig(id: string): Promise<DeliveryConfig | undefined> {
    const record = await this.kvs.get<WebhookRecord>(webhookKey(id));
    const material = record && (await this.getMaterial(id));
    if (!record || !material) return undefined;
    const storedHealth = await this.kvs.get<EndpointHealth>(healthKey(id));
    const health = storedHealth ?? defaultHealth(record);
    // Only if still absent: a health another job wrote meanwhile, or an admin's reset, is never overwritten.
    if (!storedHealth) await this.kvs.setIfAbsent(healthKey(id), health);
    const now = this.clock.now();
    const values = new Map(material.secrets.map((secret) => [secret.id, secret.value]));
    const secrets = record.secrets
      .filter((secret) => isActiveSecret(secret, now) && values.has(secret.id))
      .map((secret) => ({ id: secret.id, value: values.get(secret.id) ?? '', ...(secret.expiresAt ? { expiresAt: secret.expiresAt } : {}) }))
      .reverse();
    const headers = record.headers.flatMap((header) => {
      const value = header.sensitive ? material.sensitiveHeaders[header.name] : header.value;
      return value === undefined ? [] : [{ name: header.name, value, sensitive: header.sensitive }];
    });
    return {
      id: record.id,
      version: record.version,
      kind: record.kind,
      name: record.name,
      url: material.url,
      displayUrl: record.displayUrl,
      method: record.method,
      timeoutSeconds: record.timeoutSeconds,
      signing: record.signing,
      secrets,
      ...(material.authorization !== undefined ? { authorization: material.authorization } : {}),
      headers,
      events: record.events,
      settings: { ...(record.settings ?? {}), ...(material.credentials ?? {}) },
      ...(record.batchEvents === undefined ? {} : { batchEvents: record.batchEvents }),
      ...(record.template === undefined ? {} : { template: record.template }),
      ...(record.retryPolicy ? { retryPolicy: record.retryPolicy } : {}),
      enabled: isEffectivelyEnabled(record, health),
      health,
    };
  }

  /** For the delivery engine only: never touches the record, so it never bumps `version`. */
  async setHealth(id: string, health: EndpointHealth): Promise<void> {
    await this.kvs.set(healthKey(id), health);
  }

  async resetHealth(id: string): Promise<void> {
    await this.kvs.set(healthKey(id), neverDelivered(this.clock.now()));
  }

  /** Material first, then record (see the layout above for why). */
  async save(record: WebhookRecord, material?: WebhookSecretMaterial): Promise<void> {
    if (material) await this.secrets.set(secretKey(record.id), material);
    await this.kvs.set(webhookKey(record.id), record);
    // Version 1 is the creation: no delivery has written health yet, so this cannot overwrite one. Edits
    // (later versions) never touch health, so they never reset what the engine recorded.
    if (record.version === 1) await this.kvs.set(healthKey(record.id), defaultHealth(record));
  }

  /** Secrets first: a failure part way leaves a record without material, which delivers nothing. */
  async delete(id: string): Promise<void> {
    await this.secrets.delete(secretKey(id));
    // An authorization-code grant's tokens (oauth-code-grant.ts) must not outlive their webhook.
    await this.secrets.delete(grantSecretKey(id));
    await this.kvs.delete(grantStatusKey(id));
    await this.kvs.delete(healthKey(id));
    await this.kvs.delete(webhookKey(id));
  }

  private async getHealth(record: WebhookRecord): Promise<EndpointHealth> {
    return (await this.kvs.get<EndpointHealth>(healthKey(record.id))) ?? defaultHealth(record);
  }
}

/** The health of a webhook no attempt has changed: nothing delivered since it was created. */
const defaultHealth = (record: WebhookRecord): EndpointHealth => neverDelivered(new Date(record.createdAt));

export const isEffectivelyEnabled = (record: WebhookRecord, health: EndpointHealth): boolean =>
  record.enabled && health.state !== 'disabled';
