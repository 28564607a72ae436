import { createHash, randomUUID } from 'node:crypto';
import type { SetAsideView } from '../../contract/pipeline-api';
import { SET_ASIDE_EVENT_TYPE, fromSetAside, type SetAside } from '../../domain/events/set-aside';
import type { Clock, KeyValueStore, Logger } from '../ports';
import type { PipelineEvent } from './audit-event';
import { RETENTION_SECONDS, SET_ASIDE_PREFIX, reversedTime } from './keys';
import { errorMessage } from '../error-message';

/** What a caller knows when it sets an event aside: the record's id and time are added here. */
export type SetAsideInput = Omit<SetAside, 'recordId' | 'at'>;

export interface SetAsideDeps {
  store: KeyValueStore;
  clock: Clock;
  logger: Logger;
  /** Records the app.event.set_aside event (the outbox); its failure never fails the caller. */
  emit: (events: PipelineEvent[]) => Promise<void>;
}

const MAX_TEXT = 500;
const cut = (text: string | undefined, max = MAX_TEXT): string | undefined => (text === undefined ? undefined : text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** What an event tells about itself, for the record: its id, type, Jira event name and summary. */
export const describeEvent = (event: PipelineEvent): Pick<SetAsideInput, 'eventId' | 'eventType' | 'jiraEventType' | 'subject'> => {
  const original = event.data.original;
  const jiraEventType = typeof original === 'object' && original !== null && typeof (original as { eventType?: unknown }).eventType === 'string' ? (original as { eventType: string }).eventType : undefined;
  const summary = typeof event.data.summary === 'string' ? event.data.summary : undefined;
  return { eventId: event.id, eventType: event.type, ...(jiraEventType ? { jiraEventType } : {}), ...(summary ? { subject: summary } : {}) };
};

/**
 * Where an event goes that the pipeline cannot take further: a small, flat KVS record an admin lists
 * (events.setAside) and an app.event.set_aside event for the receivers. The record is written first; it is
 * the one thing that must land (its write failing throws, so the caller keeps the event and retries). The
 * event is best effort, and an app.event.set_aside that is itself set aside gets no event of its own.
 */
export class SetAsideLog {
  constructor(private readonly deps: SetAsideDeps) {}

  async record(input: SetAsideInput): Promise<SetAsideView> {
    const { store, clock, logger, emit } = this.deps;
    const now = clock.now();
    const hash = createHash('sha256').update(`${input.eventId ?? randomUUID()}|${input.stage}|${input.reason}`).digest('hex').slice(0, 20);
    const id = `${reversedTime(now.getTime())}${hash}`;
    const view: SetAsideView = {
      id,
      at: now.toISOString(),
      stage: input.stage,
      reason: cut(input.reason) ?? 'unknown',
      ...(input.eventId ? { eventId: cut(input.eventId, 200) } : {}),
      ...(input.eventType ? { eventType: cut(input.eventType, 200) } : {}),
      ...(input.jiraEventType ? { jiraEventType: cut(input.jiraEventType, 200) } : {}),
      ...(input.subject ? { subject: cut(input.subject, 300) } : {}),
    };
    await store.set<SetAsideView>(`${SET_ASIDE_PREFIX}${id}`, view, { ttlSeconds: RETENTION_SECONDS });
    logger.error('An event was set aside and will not be delivered', { setAsideId: id, stage: view.stage, reason: view.reason, eventId: view.eventId, eventType: view.eventType });
    if (input.eventType !== SET_ASIDE_EVENT_TYPE) {
      const event = fromSetAside({ recordId: id, at: now, stage: view.stage, reason: view.reason, eventId: view.eventId, eventType: view.eventType, jiraEventType: view.jiraEventType, subject: view.subject });
      if (event.ok) {
        await emit([event.event]).catch((error: unknown) =>
          logger.warn('Set an event aside, but could not record app.event.set_aside; the record is listed by events.setAside', { setAsideId: id, error: errorMessage(error) }),
        );
      }
    }
    return view;
  }

  /** Newest first. */
  async list(options: { cursor?: string; limit?: number } = {}): Promise<{ entries: SetAsideView[]; nextCursor?: string }> {
    const page = await this.deps.store.query<SetAsideView>(SET_ASIDE_PREFIX, { limit: options.limit ?? 50, ...(options.cursor ? { cursor: options.cursor } : {}) });
    return { entries: page.results.map((result) => result.value), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }
}

/**
 * KVS refused this value itself (too deep, too big, malformed: HTTP 400 or 413), as opposed to being busy
 * (429) or down (5xx). The same value would be refused again, so retrying it can only block what follows.
 * Duck-typed on @forge/kvs's ForgeKvsAPIError (app/ imports no Forge package).
 */
export const isValueRefused = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const status = (error as { responseDetails?: { status?: unknown } }).responseDetails?.status;
  const code = (error as { code?: unknown }).code;
  if (code === 'MAX_DEPTH' || code === 'MAX_SIZE') return true;
  return status === 400 || status === 413;
};
