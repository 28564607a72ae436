import { z } from 'zod';
import { fromAuditRecord } from '../../domain/events';
import type { Clock, KeyValueStore, Logger } from '../ports';
import type { PipelineEvent } from '../pipeline/audit-event';
import type { Outbox } from '../pipeline/outbox';
import { INSTALLED_AT_KEY, POLL_STATE_KEY, pollStateSchema, type PollState } from './poll-state';

export type AuditPage =
  | { status: 'ok'; total: number; records: unknown[] }
  | { status: 'rate-limited'; retryAfterSeconds: number }
  | { status: 'failed'; httpStatus: number; message: string };

export interface PollDeps {
  store: KeyValueStore;
  clock: Clock;
  outbox: Outbox;
  fetchPage: (query: { from: string; to?: string; offset: number; limit: number }) => Promise<AuditPage>;
  remainingMs: () => number;
  logger: Logger;
}

export const AUDIT_PAGE_SIZE = 500;
const TIME_RESERVE_MS = 15_000;
/** Each live window reads again this far before the cursor: a record can appear in the log a little after its `created`. */
export const LIVE_OVERLAP_MS = 10 * 60_000;
/** The scheduled trigger's interval: with no install time recorded, the first poll reaches back this far. */
export const POLL_INTERVAL_MS = 5 * 60_000;
/** Ids read in the current window kept against page shifts (the window's `to` is fixed, so shifts are rare). */
const MAX_WINDOW_IDS = 2_000;
const MAX_RECENT_IDS = 5_000;
/**
 * Records recorded per run: each is one KVS write, and KVS allows 4,000 a minute for the whole app
 * (product-event triggers included). A large backfill goes on at the next runs, every 5 minutes.
 */
export const MAX_RECORDS_PER_RUN = 1_500;

const recordKey = z.object({ id: z.union([z.number(), z.string()]), created: z.string() });

export type PollResult = { status: 'done' | 'paused' | 'rate-limited' | 'failed' | 'waiting'; delivered: number; message?: string };

type Window = NonNullable<PollState['window']>;

/** Jira writes `2024-05-21T09:12:03.331+0000`. */
const parseCreated = (created: string): number => {
  const ms = Date.parse(created);
  return Number.isNaN(ms) ? Date.parse(created.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : ms;
};

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The scheduled poll of Jira's audit records: the only source of changes that have no product event
 * (groups, permission schemes, workflows, global permissions) and the safety net for events from
 * projects the app cannot see. Starts at install time (no history flood); each record is delivered once:
 * windows are paged by offset with a fixed end, resumed where they stopped, read with an overlap whose
 * ids are remembered, and backfills only ever read what no window covered yet.
 */
export class AuditLogPoll {
  constructor(private readonly deps: PollDeps) {}

  async loadState(): Promise<PollState> {
    const parsed = pollStateSchema.safeParse(await this.deps.store.get<unknown>(POLL_STATE_KEY));
    if (parsed.success) return this.upgrade(parsed.data);
    const installedAt = await this.deps.store.get<string>(INSTALLED_AT_KEY);
    // Without an install time (its event never ran), the first run is at most one interval after it.
    const start = installedAt ?? iso(this.deps.clock.now().getTime() - POLL_INTERVAL_MS);
    return { from: start, liveStart: start, coveredFrom: start, recent: [], backfills: [], delivered: 0 };
  }

  /** States saved by earlier versions: boundary ids at `from`, a single pending backfill. */
  private upgrade(state: PollState): PollState {
    const next: PollState = { ...state, liveStart: state.liveStart ?? state.from };
    next.coveredFrom ??= next.backfill && Date.parse(next.backfill.from) < Date.parse(next.liveStart as string) ? next.backfill.from : next.liveStart;
    if (next.boundaryIds) {
      const at = Date.parse(next.from);
      next.recent = [...next.recent, ...next.boundaryIds.map((id): [string, number] => [id, at])];
      delete next.boundaryIds;
    }
    if (next.backfill) {
      next.backfills = [next.backfill, ...next.backfills];
      delete next.backfill;
    }
    return next;
  }

  /**
   * Asks for the records of the last `days` days that no window covered yet (those before the install,
   * or before an earlier backfill) to be delivered once, before the next live window.
   */
  async requestBackfill(days: number): Promise<PollState> {
    const state = await this.loadState();
    const covered = Date.parse(state.coveredFrom ?? state.liveStart ?? state.from);
    const from = this.deps.clock.now().getTime() - days * 86_400_000;
    if (from >= covered) return state;
    state.backfills.push({ from: iso(from), to: iso(covered) });
    state.coveredFrom = iso(from);
    await this.save(state);
    return state;
  }

  async run(): Promise<PollResult> {
    const { clock } = this.deps;
    const state = await this.loadState();
    if (state.notBefore && Date.parse(state.notBefore) > clock.now().getTime()) {
      return { status: 'waiting', delivered: 0, message: `Jira asked to wait until ${state.notBefore}` };
    }
    delete state.notBefore;
    let delivered = 0;
    for (;;) {
      state.window ??= this.nextWindow(state);
      const result = await this.pollWindow(state, state.window, MAX_RECORDS_PER_RUN - delivered);
      delivered += result.delivered;
      if (result.status !== 'done') {
        state.lastPolledAt = clock.now().toISOString();
        state.delivered += result.delivered;
        await this.save(state);
        return { ...result, delivered };
      }
      const window = state.window;
      delete state.window;
      state.delivered += result.delivered;
      if (window.backfill) {
        state.backfills.shift();
        continue;
      }
      const to = Date.parse(window.to as string);
      const known = new Map([...state.recent, ...window.overlap]);
      state.recent = [...known.entries()].filter(([, created]) => created >= to - LIVE_OVERLAP_MS).slice(-MAX_RECENT_IDS);
      state.from = window.to as string;
      delete state.lastError;
      state.lastPolledAt = clock.now().toISOString();
      await this.save(state);
      return { status: 'done', delivered };
    }
  }

  /** A pending backfill first, else the live window: from the overlap before the cursor up to now. */
  private nextWindow(state: PollState): Window {
    const backfill = state.backfills[0];
    if (backfill) return { from: backfill.from, to: backfill.to, offset: 0, seenIds: [], overlap: [], backfill: true };
    const liveStart = Date.parse(state.liveStart ?? state.from);
    const from = Math.max(Date.parse(state.from) - LIVE_OVERLAP_MS, liveStart);
    return { from: iso(from), to: this.deps.clock.now().toISOString(), offset: 0, seenIds: [], overlap: [], backfill: false };
  }

  private async pollWindow(state: PollState, window: Window, budget: number): Promise<PollResult> {
    const { outbox, logger } = this.deps;
    const liveStart = Date.parse(state.liveStart ?? state.from);
    const to = window.to ? Date.parse(window.to) : Number.POSITIVE_INFINITY;
    const delivered = new Set(window.backfill ? [] : state.recent.map(([id]) => id));
    let count = 0;
    for (;;) {
      if (this.deps.remainingMs() < TIME_RESERVE_MS) return { status: 'paused', delivered: count, message: 'Time limit near: continues next run' };
      if (count >= budget) return { status: 'paused', delivered: count, message: 'Enough records for one run: continues next run' };
      const page = await this.deps.fetchPage({ from: window.from, ...(window.to ? { to: window.to } : {}), offset: window.offset, limit: AUDIT_PAGE_SIZE });
      if (page.status === 'rate-limited') {
        state.notBefore = new Date(this.deps.clock.now().getTime() + page.retryAfterSeconds * 1000).toISOString();
        state.lastError = `Jira rate limited the audit poll (429); retrying after ${page.retryAfterSeconds} s`;
        return { status: 'rate-limited', delivered: count };
      }
      if (page.status === 'failed') {
        state.lastError = page.httpStatus === 401 || page.httpStatus === 403
          ? `Jira refused the audit records API to the app (HTTP ${page.httpStatus}): see README, "Audit log access"`
          : page.message;
        return { status: 'failed', delivered: count, message: state.lastError };
      }
      const seen = new Set(window.seenIds);
      const events: PipelineEvent[] = [];
      for (const record of page.records) {
        const key = recordKey.safeParse(record);
        if (!key.success) {
          logger.error('Skipped an audit record without id or created date', { problem: key.error.issues[0]?.message });
          continue;
        }
        const id = String(key.data.id);
        if (seen.has(id) || delivered.has(id)) continue;
        seen.add(id);
        const created = parseCreated(key.data.created);
        // A backfill stops where live polling (or the previous backfill) began; live polling never
        // reaches before the install.
        if (window.backfill ? created >= to : created < liveStart) continue;
        const normalised = fromAuditRecord(record);
        if (!normalised.ok) {
          logger.error('Skipped a malformed audit record', { recordId: id, problem: normalised.error });
          continue;
        }
        events.push(normalised.event);
        if (!window.backfill && created >= to - LIVE_OVERLAP_MS) window.overlap.push([id, created]);
      }
      await outbox.accept(events);
      count += events.length;
      window.seenIds = [...seen].slice(-MAX_WINDOW_IDS);
      window.offset += page.records.length;
      // Progress is saved after every page, so a cut-off run re-reads at most one page.
      await this.save(state);
      if (page.records.length === 0 || window.offset >= page.total) return { status: 'done', delivered: count };
    }
  }

  private async save(state: PollState): Promise<void> {
    await this.deps.store.set(POLL_STATE_KEY, state);
  }
}
