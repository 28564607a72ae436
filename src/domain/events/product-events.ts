/**
 * Jira (and Jira Software, JSM, app lifecycle) Forge product events -> AuditEvent.
 * Payload shapes follow Atlassian's "Jira events" and "Jira Software events" references
 * (developer.atlassian.com/platform/forge/events-reference/jira, .../jira-software); fixtures in
 * test/fixtures/jira/product-events/ say where each came from.
 */
import { z } from 'zod';
import { PRODUCT_EVENT_TYPES, type ProductEventFamily } from './catalogue';
import { stableId } from './ids';
import { boundDepth, boundEventDepth } from './depth';
import { MAX_CHANGES, MAX_INPUT_DEPTH } from './limits';
import { AuditEventSchema, type Actor, type AuditEvent, type NormaliseResult } from './model';
import {
  compact,
  describeIssues,
  describeType,
  isPlainObject,
  toIsoTimestamp,
  truncate,
  type Parsed,
} from './parse';
import {
  BaseSchema,
  type Built,
  type Ctx,
} from './product-event-shared';
import { buildIssue, buildComment, buildIssueLink, buildWorklog, buildAttachment, buildIssueProperty } from './product-events-issue';
import { buildProject, buildVersion, buildComponent } from './product-events-project';
import { buildSprint, buildBoard, buildBoardConfiguration } from './product-events-agile';
import { buildUser, buildField, buildFieldContext, buildFieldContextConfiguration, buildIssueType, buildFilter, buildProperty, buildExpression, buildJsm, buildAppLifecycle } from './product-events-admin';

export interface ProductEventOptions {
  /** When the trigger received it; the event's timestamp when the payload carries none. */
  receivedAt: Date | string;
  /**
   * Leave out to get the deterministic id (recommended): a hash of the event name and the payload, so a
   * platform retry of the same trigger yields the same id. Give one only to impose an id of your own.
   */
  id?: string;
  /** The Forge event name, for payloads that do not carry `eventType` (app lifecycle events). */
  eventType?: string;
}

/** Fields Forge adds per invocation or per retry: they must not change the event id. */
const VOLATILE_FIELDS = new Set(['retryContext', 'contextToken', 'context']);


const BUILDERS: Record<ProductEventFamily, (raw: unknown, ctx: Ctx) => Parsed<Built>> = {
  issue: buildIssue,
  comment: buildComment,
  issuelink: buildIssueLink,
  worklog: buildWorklog,
  attachment: buildAttachment,
  issue_property: buildIssueProperty,
  project: buildProject,
  version: buildVersion,
  component: buildComponent,
  sprint: buildSprint,
  board: buildBoard,
  board_configuration: buildBoardConfiguration,
  user: buildUser,
  field: buildField,
  field_context: buildFieldContext,
  field_context_configuration: buildFieldContextConfiguration,
  issuetype: buildIssueType,
  filter: buildFilter,
  configuration: buildProperty,
  timetracking: buildProperty,
  expression: buildExpression,
  jsm: buildJsm,
  app_lifecycle: buildAppLifecycle,
};


// ---------------------------------------------------------------------------------------------------------

function stablePayload(payload: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(payload).filter(([key]) => !VOLATILE_FIELDS.has(key)));
}

function resolveActor(base: z.infer<typeof BaseSchema>, built: Built): Actor {
  const accountId = base.atlassianId ?? built.actor?.accountId;
  let displayName = built.actor?.accountId === accountId ? built.actor?.displayName : undefined;
  if (!displayName && accountId) displayName = base.associatedUsers?.find((user) => user.accountId === accountId)?.displayName;
  return compact({ accountId, displayName }) as Actor;
}

/** Lifecycle payloads carry no eventType; they are the only ones with an installation id, an app and an installer/upgrader. */
function inferLifecycleEvent(event: Record<string, unknown>): string | undefined {
  if (typeof event.id !== 'string' || !isPlainObject(event.app)) return undefined;
  if (typeof event.upgraderAccountId === 'string') return 'avi:forge:upgraded:app';
  if (typeof event.installerAccountId === 'string') return 'avi:forge:installed:app';
  return undefined;
}

/**
 * Normalises one Forge product event (the trigger's `event` argument). Never throws: an unknown event name
 * or a payload without what we need gives `{ ok: false, error }` with a message naming the field.
 */
export function fromProductEvent(input: unknown, options: ProductEventOptions): NormaliseResult {
  if (!isPlainObject(input)) {
    return { ok: false, error: `Jira product event must be a JSON object, got ${describeType(input)}` };
  }
  // A hostile payload may nest thousands of levels (Forge delivers up to 200 KB): bound it first, so no
  // step below (id hash, schemas, copies) recurses that deep. Deterministic, so a retry keeps its id.
  const event = boundDepth(input, MAX_INPUT_DEPTH).value;
  const eventType = typeof event.eventType === 'string' && event.eventType.length > 0 ? event.eventType : options.eventType ?? inferLifecycleEvent(event);
  if (!eventType) {
    return { ok: false, error: 'Jira product event has no eventType: pass options.eventType for payloads that carry none (app lifecycle events)' };
  }
  const mapping = Object.prototype.hasOwnProperty.call(PRODUCT_EVENT_TYPES, eventType) ? PRODUCT_EVENT_TYPES[eventType] : undefined;
  if (!mapping) {
    return { ok: false, error: `Jira product event ${eventType} is not supported: add it to PRODUCT_EVENT_TYPES (src/domain/events/catalogue.ts)` };
  }
  const receivedAt = toIsoTimestamp(options.receivedAt);
  if (!receivedAt) {
    return { ok: false, error: `receivedAt is not a valid date: ${String(options.receivedAt)}` };
  }
  const base = BaseSchema.parse(event);
  const ctx: Ctx = { eventType, type: mapping.type, action: mapping.type.slice(mapping.type.indexOf('.') + 1) };
  let built: Parsed<Built>;
  try {
    built = BUILDERS[mapping.family](event, ctx);
  } catch (error) {
    // The builders parse with safeParse; this only guards against a bug turning into a lost event.
    const message = error instanceof z.ZodError ? describeIssues(error) : error instanceof Error ? error.message : String(error);
    return { ok: false, error: `Jira product event ${eventType} could not be normalised: ${message}` };
  }
  if (!built.ok) return built;
  const value = built.value;
  const type = value.type ?? mapping.type;
  const changes = value.changes?.slice(0, MAX_CHANGES);
  const changesOmitted = (value.changes?.length ?? 0) - (changes?.length ?? 0);
  const details = { ...value.details, ...(changesOmitted > 0 ? { changesOmitted } : {}) };
  const candidate: AuditEvent = {
    id: options.id ?? stableId('pe', eventType, stablePayload(event)),
    type,
    timestamp: toIsoTimestamp(base.timestamp) ?? receivedAt,
    data: {
      source: 'product-event',
      actor: resolveActor(base, value),
      object: value.object,
      summary: truncate(value.summary, 500),
      ...(changes ? { changes } : {}),
      original: { eventType },
      ...(Object.keys(details).length > 0 ? { details } : {}),
    },
  };
  const checked = AuditEventSchema.safeParse(candidate);
  if (!checked.success) {
    return { ok: false, error: `Jira product event ${eventType} normalised to an invalid event: ${describeIssues(checked.error)}` };
  }
  return { ok: true, event: boundEventDepth(checked.data) };
}
