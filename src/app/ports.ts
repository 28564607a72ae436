/**
 * The small ports the use cases are written against. Only src/platform/ implements them with Forge
 * (@forge/kvs, @forge/events, @forge/api); tests may implement them in memory for pure use-case tests,
 * but integration tests always run the Forge adapters on the local Forge host.
 */

/** Key-value storage (Forge KVS). Keys: <= 500 chars, [a-zA-Z0-9:._ -#]. Values: JSON, <= 240 KiB. */
export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  /** ttlSeconds: the entry expires after that many seconds. */
  set<T>(key: string, value: T, options?: { ttlSeconds?: number }): Promise<void>;
  /** Sets only when the key is absent; answers false when it already existed. */
  setIfAbsent<T>(key: string, value: T, options?: { ttlSeconds?: number }): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** One page of keys beginning with prefix, in key order. limit <= 100. */
  query<T>(prefix: string, options?: { limit?: number; cursor?: string }): Promise<{ results: { key: string; value: T }[]; nextCursor?: string }>;
}

/** Encrypted, write-mostly storage for secrets (Forge KVS setSecret); never queryable. */
export interface SecretStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface IdSource {
  /** A new unique id with the given prefix, e.g. id('wh') -> "wh_2Kx..." (URL- and key-safe). */
  id(prefix: string): string;
  randomBytes(size: number): Buffer;
  /** Uniform in [0, 1): for retry jitter. */
  random(): number;
}

/** Whether the app's egress allowlist (manifest permissions.external.fetch.backend) allows a URL. */
export interface EgressPolicy {
  canFetch(url: string): boolean;
}

/** Whether an account is a Jira site admin (ADMINISTER), asked of Jira as that user. */
export interface AdminCheck {
  isSiteAdmin(accountId: string): Promise<boolean>;
}

/** Structured log lines. Never pass a secret: callers redact first. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Outbound HTTP to receivers (Forge fetch: egress-checked, redirects never followed). */
export interface OutboundRequest {
  url: string;
  method: 'POST' | 'PUT';
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export type OutboundResult =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: string; truncated: boolean; durationMs: number }
  | { kind: 'error'; error: unknown; durationMs: number };

export interface HttpSender {
  send(request: OutboundRequest): Promise<OutboundResult>;
}
