/** Counters the host keeps about what the app did; served at GET /__forge/stats and persisted. */

export interface FunctionStats { invocations: number; errors: number; timeouts: number }

export interface HostStats {
  systemAccountId: string;
  clock: { mode: 'real' | 'manual'; now: string };
  invocations: Record<string, FunctionStats>;
  kvs: { reads: number; writes: number; deletes: number; queries: number; bytesRead: number; bytesWritten: number; rateLimited: number; errors: number };
  queue: { pushes: number; events: number; delivered: number; retries: number; pending: number; rateLimited: number; rejected: number; dropped: number; cancelled: number; duplicates: number };
  /** failed: thrown errors (Forge does not retry them); oversized: events over 200 KB, never delivered;
   * delayed: events held back by the delivery delay */
  triggers: { events: number; invocations: number; retries: number; ignoredSelf: number; dropped: number; failed: number; oversized: number; delayed: number };
  scheduled: { runs: number };
  egress: { requests: number; blocked: number; rateLimited: number; errors: number };
  jira: { requests: number; injectedFailures: number; notFound: number };
  /** the last 20 failed or timed-out invocations of this run (not persisted) */
  recentErrors: { at: string; functionKey: string; moduleKey: string; kind: 'error' | 'timeout'; message: string }[];
}

export type Counters = Omit<HostStats, 'systemAccountId' | 'clock' | 'queue' | 'recentErrors'> & { queue: Omit<HostStats['queue'], 'pending'> };

export function emptyCounters(): Counters {
  return {
    invocations: {},
    kvs: { reads: 0, writes: 0, deletes: 0, queries: 0, bytesRead: 0, bytesWritten: 0, rateLimited: 0, errors: 0 },
    queue: { pushes: 0, events: 0, delivered: 0, retries: 0, rateLimited: 0, rejected: 0, dropped: 0, cancelled: 0, duplicates: 0 },
    triggers: { events: 0, invocations: 0, retries: 0, ignoredSelf: 0, dropped: 0, failed: 0, oversized: 0, delayed: 0 },
    scheduled: { runs: 0 },
    egress: { requests: 0, blocked: 0, rateLimited: 0, errors: 0 },
    jira: { requests: 0, injectedFailures: 0, notFound: 0 },
  };
}

/** Merges persisted counters over fresh ones so counters added later start at zero. */
export function restoreCounters(saved: unknown): Counters {
  const fresh = emptyCounters();
  if (typeof saved !== 'object' || saved === null) return fresh;
  const out: Record<string, unknown> = { ...fresh };
  for (const [section, value] of Object.entries(saved as Record<string, unknown>)) {
    const base = (fresh as unknown as Record<string, unknown>)[section];
    if (typeof base === 'object' && base !== null && typeof value === 'object' && value !== null) {
      out[section] = { ...base, ...(value as Record<string, unknown>) };
    }
  }
  return out as unknown as Counters;
}

export function functionStats(counters: Counters, functionKey: string): FunctionStats {
  let s = counters.invocations[functionKey];
  if (!s) {
    s = { invocations: 0, errors: 0, timeouts: 0 };
    counters.invocations[functionKey] = s;
  }
  return s;
}
