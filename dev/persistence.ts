/** Saves the host's state as one JSON file in FORGE_LOCAL_DIR so it survives restarts. Writes are
 * atomic (temp file + rename) so a crash leaves the previous state intact. */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { emptyKvsState, type KvsState } from './kvs-service';
import { emptyQueueState, type QueueState } from './queue-service';
import type { AuditState } from './jira-stub';
import { MAX_DATE_MS } from './clock';
import { emptyCounters, restoreCounters, type Counters } from './stats';

export interface TriggerRetry {
  seq: number;
  moduleKey: string;
  functionKey: string;
  event: Record<string, unknown>;
  dueAt: number;
  retryCount: number;
  retryReason: string;
  retryData?: unknown;
}

export interface PersistedState {
  version: 1;
  installedAt: number;
  /** Forge gives each installation its own id; a fresh local state is a new installation. */
  installationId?: string;
  clockNow?: number;
  kvs: KvsState;
  queue: QueueState;
  triggerRetries: TriggerRetry[];
  scheduledNext: Record<string, number>;
  audit: AuditState;
  counters: Counters;
  seq: number;
}

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
const fileSchema = z.looseObject({
  version: z.literal(1),
  installedAt: z.number(),
  installationId: z.string().uuid().optional(),
  clockNow: z.number().min(0).max(MAX_DATE_MS).optional(),
  kvs: z.custom<KvsState>((v) => isObject(v) && isObject((v as KvsState).store) && isObject((v as KvsState).secrets)),
  queue: z.custom<QueueState>((v) => isObject(v) && Array.isArray((v as QueueState).events)),
  triggerRetries: z.custom<TriggerRetry[]>((v) => Array.isArray(v)),
  scheduledNext: z.record(z.string(), z.number()),
  audit: z.custom<AuditState>((v) => isObject(v) && Array.isArray((v as AuditState).records)),
  counters: z.unknown(),
  seq: z.number().default(0),
});

export const STATE_FILE = 'state.json';

export function freshState(now: number): PersistedState {
  return {
    version: 1,
    installedAt: now,
    installationId: randomUUID(),
    kvs: emptyKvsState(),
    queue: emptyQueueState(),
    triggerRetries: [],
    scheduledNext: {},
    audit: { records: [], nextId: 1 },
    counters: emptyCounters(),
    seq: 0,
  };
}

export function loadState(stateDir: string): PersistedState | undefined {
  const file = path.join(stateDir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`Forge local host: ${file} is not valid JSON (${(e as Error).message}); delete it to start afresh`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(file)'))].join(', ');
    throw new Error(`Forge local host: ${file} is not a state file of this host version (${fields}); delete it to start afresh`);
  }
  const s = parsed.data;
  s.kvs.entities ??= {};
  s.queue.jobs ??= {};
  s.queue.seq ??= 0;
  return { ...s, version: 1, counters: restoreCounters(s.counters) };
}

export function saveState(stateDir: string, state: PersistedState): void {
  mkdirSync(stateDir, { recursive: true });
  const file = path.join(stateDir, STATE_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}
