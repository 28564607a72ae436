import type { EventTypeInfo } from '../../contract/webhook-view';
import type { AdminCheck, Clock, EgressPolicy, IdSource, KeyValueStore, Logger, SecretStore } from '../ports';
import type { ConfigAuditSink } from './config-audit';

/** What the admin use cases need; the entry layer builds it from the Forge adapters. */
export interface AdminDeps {
  kvs: KeyValueStore;
  secrets: SecretStore;
  clock: Clock;
  ids: IdSource;
  egress: EgressPolicy;
  admin: AdminCheck;
  audit: ConfigAuditSink;
  logger: Logger;
  /** The event catalogue (src/domain/events): what webhooks.list offers and webhooks may subscribe to. */
  eventTypes: readonly EventTypeInfo[];
}
