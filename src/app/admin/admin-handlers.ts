import { ApiFailure, fail, ok, type ApiResult } from '../../contract/envelope';
import { previewTemplate } from './template-preview';
import type { AdminFunctionKey, AdminOutput, AdminParsedInput, AdminResult } from '../../contract/functions';
import { parseAdminInput } from '../../contract/parse-input';
import { SET_ASIDE_STAGES_VIEW, type SetAsideView } from '../../contract/pipeline-api';
import { SetAsideLog } from '../pipeline/set-aside';
import type { AdminCheck, Logger } from '../ports';
import type { AdminDeps } from './admin-deps';
import { WebhookAdmin } from './webhook-admin';

/** A resolver function: the caller's account id and the raw payload from the bridge. */
export type AdminHandler<K extends AdminFunctionKey> = (accountId: string | undefined, rawPayload: unknown) => Promise<AdminResult<K>>;

export const FORBIDDEN_MESSAGE = 'Only Jira site admins can manage audit webhooks. Ask a site admin to do this, or to grant you site admin rights.';

/**
 * Wraps a use case in the rules every admin function shares: site admin first (FORBIDDEN, nothing
 * read or changed), then the zod contract (VALIDATION with fields), then the envelope. Unexpected
 * errors are logged by name only, since their messages could quote stored values.
 */
export function guarded<K extends AdminFunctionKey>(
  deps: { admin: AdminCheck; logger: Logger },
  key: K,
  run: (input: AdminParsedInput<K>, accountId: string) => Promise<AdminOutput<K>> | AdminOutput<K>,
): AdminHandler<K> {
  return async (accountId, rawPayload) => {
    try {
      if (!accountId || !(await deps.admin.isSiteAdmin(accountId))) return fail('FORBIDDEN', FORBIDDEN_MESSAGE);
      const parsed = parseAdminInput(key, rawPayload);
      if (!parsed.ok) return parsed;
      return ok(await run(parsed.data, accountId)) as ApiResult<AdminOutput<K>>;
    } catch (error) {
      if (error instanceof ApiFailure) return fail(error.code, error.message, error.fields);
      deps.logger.error('admin function failed', { function: key, error: error instanceof Error ? error.name : typeof error });
      return fail('UNAVAILABLE', 'Jira or the app storage did not answer. Reload and try again in a minute; if the change was saved it will show.');
    }
  };
}

export type WebhookAdminKey = 'webhooks.list' | 'webhooks.get' | 'webhooks.create' | 'webhooks.update' | 'webhooks.delete' | 'secrets.random';
export type AdminHandlers = { [K in WebhookAdminKey | 'events.setAside' | 'webhooks.previewTemplate']: AdminHandler<K> };

/** events.setAside pages by 50 unless asked otherwise (at most SET_ASIDE_PAGE_MAX, the contract's bound). */
export const SET_ASIDE_PAGE_DEFAULT = 50;

const INVALID_CURSOR = new ApiFailure('VALIDATION', 'The cursor is not one this app returned: pass nextCursor exactly as received.', {
  cursor: 'Pass nextCursor exactly as the previous page returned it.',
});

/** nextCursor wraps KVS's page cursor ("sa1." + base64url), so a cursor of another listing or a typo is told apart. */
const CURSOR_TAG = 'sa1.';
const encodeCursor = (page: string): string => `${CURSOR_TAG}${Buffer.from(page, 'utf8').toString('base64url')}`;
const decodeCursor = (raw: string): string => {
  const body = raw.startsWith(CURSOR_TAG) ? raw.slice(CURSOR_TAG.length) : '';
  const page = /^[A-Za-z0-9_-]+$/.test(body) ? Buffer.from(body, 'base64url').toString('utf8') : '';
  if (!page || Buffer.from(page, 'utf8').toString('base64url') !== body) throw INVALID_CURSOR;
  return page;
};

/** KVS refused the cursor itself (HTTP 400, INVALID_CURSOR), as opposed to being busy or down. */
const isCursorRefused = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const status = (error as { responseDetails?: { status?: unknown } }).responseDetails?.status;
  const code = (error as { code?: unknown }).code;
  return code === 'INVALID_CURSOR' || status === 400;
};

const optionalText = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** Only the view's own fields, of the right types: a record that is not one (never expected) is left out. */
const asSetAsideView = (value: unknown): SetAsideView | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const { id, at, stage, reason } = record;
  if (typeof id !== 'string' || typeof at !== 'string' || typeof reason !== 'string') return undefined;
  if (!(SET_ASIDE_STAGES_VIEW as readonly unknown[]).includes(stage)) return undefined;
  const optional = (['eventId', 'eventType', 'jiraEventType', 'subject'] as const).flatMap((field) => {
    const text = optionalText(record[field]);
    return text === undefined ? [] : [[field, text] as const];
  });
  return { id, at, stage: stage as SetAsideView['stage'], reason, ...Object.fromEntries(optional) };
};

/**
 * events.setAside: the events the pipeline set aside instead of letting them block the others (KVS
 * records `setaside:<reversed time><hash>`, 14 days), newest first, one KVS page per call. Read-only: the
 * log it builds never records anything, so its `emit` is never called.
 */
export async function listSetAside(deps: Pick<AdminDeps, 'kvs' | 'clock' | 'logger'>, input: { cursor?: string; limit?: number }): Promise<{ entries: SetAsideView[]; nextCursor?: string }> {
  const log = new SetAsideLog({ store: deps.kvs, clock: deps.clock, logger: deps.logger, emit: () => Promise.reject(new Error('events.setAside only reads')) });
  const cursor = input.cursor ? decodeCursor(input.cursor) : undefined;
  let page: Awaited<ReturnType<SetAsideLog['list']>>;
  try {
    page = await log.list({ limit: input.limit ?? SET_ASIDE_PAGE_DEFAULT, ...(cursor ? { cursor } : {}) });
  } catch (error) {
    if (cursor && isCursorRefused(error)) throw INVALID_CURSOR;
    throw error;
  }
  const entries = page.entries.flatMap((entry) => {
    const view = asSetAsideView(entry);
    return view ? [view] : [];
  });
  return { entries, ...(page.nextCursor ? { nextCursor: encodeCursor(page.nextCursor) } : {}) };
}

/** The handlers the resolver registers; deliveries.*, settings.* and webhooks.test use `guarded` too. */
export function createAdminHandlers(deps: AdminDeps): AdminHandlers {
  const webhooks = new WebhookAdmin(deps);
  return {
    'webhooks.list': guarded(deps, 'webhooks.list', () => webhooks.list()),
    'webhooks.get': guarded(deps, 'webhooks.get', (input) => webhooks.get(input)),
    'webhooks.create': guarded(deps, 'webhooks.create', (input, actor) => webhooks.create(actor, input)),
    'webhooks.update': guarded(deps, 'webhooks.update', (input, actor) => webhooks.update(actor, input)),
    'webhooks.delete': guarded(deps, 'webhooks.delete', (input, actor) => webhooks.delete(actor, input)),
    'secrets.random': guarded(deps, 'secrets.random', () => webhooks.randomSecret()),
    'events.setAside': guarded(deps, 'events.setAside', (input) => listSetAside(deps, input)),
    'webhooks.previewTemplate': guarded(deps, 'webhooks.previewTemplate', (input) => previewTemplate(input)),
  };
}
