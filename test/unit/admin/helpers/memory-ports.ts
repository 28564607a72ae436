import type { AdminCheck, Clock, EgressPolicy, IdSource, KeyValueStore, Logger, SecretStore } from '../../../../src/app/ports';
import type { ConfigAuditEvent, ConfigAuditSink } from '../../../../src/app/admin/config-audit';
import type { AdminDeps } from '../../../../src/app/admin/admin-deps';
import type { EventTypeInfo } from '../../../../src/contract/webhook-view';

/** In-memory ports for pure use-case tests (integration tests run the Forge adapters instead). */

export class ManualClock implements Clock {
  constructor(private current = new Date('2026-11-02T08:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

const clone = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

export class MemoryKvs implements KeyValueStore {
  readonly entries = new Map<string, { value: unknown; expiresAt?: number }>();
  writes = 0;
  constructor(private readonly clock: Clock) {}

  private live(key: string): unknown {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.clock.now().getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }
  async get<T>(key: string): Promise<T | undefined> {
    return clone(this.live(key)) as T | undefined;
  }
  async set<T>(key: string, value: T, options?: { ttlSeconds?: number }): Promise<void> {
    this.writes++;
    const expiresAt = options?.ttlSeconds ? this.clock.now().getTime() + options.ttlSeconds * 1000 : undefined;
    this.entries.set(key, { value: clone(value), ...(expiresAt ? { expiresAt } : {}) });
  }
  async setIfAbsent<T>(key: string, value: T, options?: { ttlSeconds?: number }): Promise<boolean> {
    if (this.live(key) !== undefined) return false;
    await this.set(key, value, options);
    return true;
  }
  async delete(key: string): Promise<void> {
    this.writes++;
    this.entries.delete(key);
  }
  async query<T>(prefix: string, options?: { limit?: number; cursor?: string }): Promise<{ results: { key: string; value: T }[]; nextCursor?: string }> {
    const limit = options?.limit ?? 100;
    const keys = [...this.entries.keys()].filter((key) => key.startsWith(prefix) && this.live(key) !== undefined).sort();
    const start = options?.cursor ? keys.indexOf(options.cursor) + 1 : 0;
    const page = keys.slice(start, start + limit);
    const results = page.map((key) => ({ key, value: clone(this.live(key)) as T }));
    const last = page[page.length - 1];
    return start + limit < keys.length && last ? { results, nextCursor: last } : { results };
  }
  /** Everything stored, for "nothing changed" assertions. */
  snapshot(): string {
    return JSON.stringify([...this.entries.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}

export class MemorySecrets implements SecretStore {
  readonly entries = new Map<string, unknown>();
  async get<T>(key: string): Promise<T | undefined> {
    return clone(this.entries.get(key)) as T | undefined;
  }
  async set<T>(key: string, value: T): Promise<void> {
    this.entries.set(key, clone(value));
  }
  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
  snapshot(): string {
    return JSON.stringify([...this.entries.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}

export class SequentialIds implements IdSource {
  private next = 0;
  id(prefix: string): string {
    this.next++;
    return `${prefix}_${String(this.next).padStart(4, '0')}`;
  }
  randomBytes(size: number): Buffer {
    return Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + this.next++) & 0xff));
  }
  random(): number {
    return 0.5;
  }
}

export class AllowListEgress implements EgressPolicy {
  constructor(readonly hosts: string[]) {}
  canFetch(url: string): boolean {
    return this.hosts.includes(new URL(url).hostname);
  }
}

export class SetAdminCheck implements AdminCheck {
  constructor(readonly admins: string[]) {}
  async isSiteAdmin(accountId: string): Promise<boolean> {
    return this.admins.includes(accountId);
  }
}

export class RecordingAudit implements ConfigAuditSink {
  readonly events: ConfigAuditEvent[] = [];
  async record(event: ConfigAuditEvent): Promise<void> {
    this.events.push(clone(event));
  }
}

export class RecordingLogger implements Logger {
  readonly lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  info(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, fields });
  }
}

export const EVENT_TYPES: EventTypeInfo[] = [
  { type: 'jira:issue_created', category: 'Issues', description: 'An issue was created.', source: 'product-event' },
  { type: 'audit:group.created', category: 'Groups', description: 'A group was created.', source: 'audit-log' },
  { type: 'app.webhook.created', category: 'App configuration', description: 'A webhook was created.', source: 'app' },
];

export const ADMIN = 'admin-1';
export const NOT_ADMIN = 'user-2';

export function memoryDeps(egressHosts = ['siem.example.com', 'splunk.example.com', 'hooks.slack.com']) {
  const clock = new ManualClock();
  const deps = {
    kvs: new MemoryKvs(clock),
    secrets: new MemorySecrets(),
    clock,
    ids: new SequentialIds(),
    egress: new AllowListEgress(egressHosts),
    admin: new SetAdminCheck([ADMIN]),
    audit: new RecordingAudit(),
    logger: new RecordingLogger(),
    eventTypes: EVENT_TYPES,
  } satisfies AdminDeps;
  return deps;
}
