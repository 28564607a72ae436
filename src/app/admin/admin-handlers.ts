import { ApiFailure, fail, ok, type ApiResult } from '../../contract/envelope';
import type { AdminFunctionKey, AdminOutput, AdminParsedInput, AdminResult } from '../../contract/functions';
import { parseAdminInput } from '../../contract/parse-input';
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
export type AdminHandlers = { [K in WebhookAdminKey]: AdminHandler<K> };

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
  };
}
