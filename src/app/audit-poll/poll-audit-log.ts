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
/** Ids kept to de-duplicate a window's pages; past this a window is closed early at its newest record. */
const MAX_SEEN_IDS = 20_000;

const recordKey = z.object({ id: z.union([z.number(), z.string()]), created: z.string() });

export type PollResult = { status: 'done' | 'paused' | 'rate-limited' | 'failed' | 'waiting'; delivered: number; message?: string };

/**
 * The scheduled poll of Jira's audit records: the only source of changes that have no product event
 * (groups, permission schemes, workflows, global permissions) and the safety net for events from
 * projects the app cannot see. Starts at install time (no history flood); each record is accepted once.
 */
export class AuditLogPoll {
  constructor(private readonly deps: PollDeps) {}

  async loadState(): Promise<PollState> {
    const parsed = pollStateSchema.safeParse(await this.deps.store.get<unknown>(POLL_STATE_KEY));
    if (parsed.success) return parsed.data;
    const installedAt = await this.deps.store.get<string>(INSTALLED_AT_KEY);
    return { from: installedAt ?? this.deps.clock.now().toISOString(), boundaryIds: [], delivered: 0 };
  }

  /** Asks for the records of the last `days` days before the live cursor to be delivered once. */
  async requestBackfill(days: number): Promise<PollState> {
    const state = await this.loadState();
    const to = state.from;
    const from = new Date(Date.parse(to) - days * 86_400_000).toISOString();
    const next: PollState = { ...state, backfill: { from, to } };
    await this.deps.store.set(POLL_STATE_KEY, next);
    return next;
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
      state.window ??= state.backfill
        ? { from: state.backfill.from, to: state.backfill.to, offset: 0, seenIds: [], maxIds: [], backfill: true }
        : { from: state.from, offset: 0, seenIds: [...state.boundaryIds], maxIds: [], backfill: false };
      const result = await this.pollWindow(state);
      delivered += result.delivered;
      if (result.status !== 'done' || !state.window) {
        state.lastPolledAt = clock.now().toISOString();
        state.delivered += delivered;
        await this.save(state);
        return { ...result, delivered };
      }
      const window = state.window;
      delete state.window;
      if (window.backfill) {
        delete state.backfill;
        continue;
      }
      if (window.maxCreated && Date.parse(window.maxCreated) >= Date.parse(state.from)) {
        const sameInstant = Date.parse(window.maxCreated) === Date.parse(state.from);
        state.boundaryIds = sameInstant ? [...new Set([...state.boundaryIds, ...window.maxIds])] : window.maxIds;
        state.from = window.maxCreated;
      }
      delete state.lastError;
      state.lastPolledAt = clock.now().toISOString();
      state.delivered += delivered;
      await this.save(state);
      return { status: 'done', delivered };
    }
  }

  private async pollWindow(state: PollState): Promise<PollResult> {
    const { outbox, logger } = this.deps;
    const window = state.window;
    if (!window) return { status: 'done', delivered: 0 };
    let delivered = 0;
    for (;;) {
      if (this.deps.remainingMs() < TIME_RESERVE_MS) return { status: 'paused', delivered, message: 'Time limit near: continues next run' };
      const page = await this.deps.fetchPage({ from: window.from, ...(window.to ? { to: window.to } : {}), offset: window.offset, limit: AUDIT_PAGE_SIZE });
      if (page.status === 'rate-limited') {
        state.notBefore = new Date(this.deps.clock.now().getTime() + page.retryAfterSeconds * 1000).toISOString();
        state.lastError = `Jira rate limited the audit poll (429); retrying after ${page.retryAfterSeconds} s`;
        return { status: 'rate-limited', delivered };
      }
      if (page.status === 'failed') {
        state.lastError = page.httpStatus === 401 || page.httpStatus === 403
          ? `Jira refused the audit records API to the app (HTTP ${page.httpStatus}): see README, "Audit log access"`
          : page.message;
        return { status: 'failed', delivered, message: state.lastError };
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
        if (seen.has(id)) continue;
        seen.add(id);
        if (window.to && Date.parse(key.data.created) >= Date.parse(window.to)) continue;
        const normalised = fromAuditRecord(record);
        if (!normalised.ok) {
          logger.error('Skipped a malformed audit record', { recordId: id, problem: normalised.error });
          continue;
        }
        events.push(normalised.event);
        const created = key.data.created;
        if (!window.maxCreated || Date.parse(created) > Date.parse(window.maxCreated)) {
          window.maxCreated = created;
          window.maxIds = [id];
        } else if (Date.parse(created) === Date.parse(window.maxCreated)) window.maxIds.push(id);
      }
      await outbox.accept(events);
      delivered += events.length;
      window.seenIds = [...seen].slice(-MAX_SEEN_IDS);
      window.offset += page.records.length;
      // Progress is saved after every page, so a cut-off run re-reads at most one page.
      await this.save(state);
      if (page.records.length === 0 || window.offset >= page.total) return { status: 'done', delivered };
    }
  }

  private async save(state: PollState): Promise<void> {
    await this.deps.store.set(POLL_STATE_KEY, state);
  }
}
