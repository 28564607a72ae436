import api, { route } from '@forge/api';
import { z } from 'zod';
import type { AuditPage } from '../app/audit-poll/poll-audit-log';
import type { AdminCheck } from '../app/ports';

/** Jira did not answer the permission check: the caller may well be an admin, so say "try again". */
export class JiraUnavailableError extends Error {
  constructor(status: number) {
    super(`Jira answered ${status} to the permission check`);
    this.name = 'JiraUnavailableError';
  }
}

const permissionsResponse = z.object({
  permissions: z.object({ ADMINISTER: z.object({ havePermission: z.boolean() }).optional() }),
});

/**
 * Asks Jira, as the calling user, whether they hold the global Administer Jira permission. A refusal or
 * "no" is false (FORBIDDEN); a Jira that is down or rate limiting (5xx, 429) throws, which the resolver
 * answers UNAVAILABLE: an admin must not be told they are not one because Jira hiccupped.
 */
export const forgeAdminCheck: AdminCheck = {
  async isSiteAdmin(accountId: string) {
    if (!accountId) return false;
    const response = await api.asUser().requestJira(route`/rest/api/3/mypermissions?permissions=ADMINISTER`, {
      headers: { Accept: 'application/json' },
    });
    if (response.status === 429 || response.status >= 500) throw new JiraUnavailableError(response.status);
    if (!response.ok) return false;
    const parsed = permissionsResponse.safeParse(await response.json());
    return parsed.success && parsed.data.permissions.ADMINISTER?.havePermission === true;
  },
};

const auditPage = z.object({ total: z.number().int().nonnegative(), records: z.array(z.unknown()) });

const retryAfterSeconds = (header: string | null): number => {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 60;
};

/** One page of Jira's audit records, fetched as the app (needs manage:jira-configuration). */
export const fetchAuditRecords = async (query: { from: string; to?: string; offset: number; limit: number }): Promise<AuditPage> => {
  const params = new URLSearchParams({ from: query.from, offset: String(query.offset), limit: String(query.limit) });
  if (query.to) params.set('to', query.to);
  const response = await api.asApp().requestJira(route`/rest/api/3/auditing/record?${params}`, {
    headers: { Accept: 'application/json' },
  });
  if (response.status === 429) return { status: 'rate-limited', retryAfterSeconds: retryAfterSeconds(response.headers.get('retry-after')) };
  if (!response.ok) {
    return { status: 'failed', httpStatus: response.status, message: `Jira answered ${response.status} ${response.statusText}`.trim() };
  }
  const parsed = auditPage.safeParse(await response.json());
  if (!parsed.success) return { status: 'failed', httpStatus: response.status, message: 'Jira returned an audit records page of unexpected shape' };
  return { status: 'ok', ...parsed.data };
};

const serverInfo = z.object({ baseUrl: z.string() });

/** The site's base URL (https://acme.atlassian.net), asked of Jira as the app (Server info needs no permission: Forge docs, "Remote agents in Jira"); undefined when Jira does not say. */
export const fetchSiteBaseUrl = async (): Promise<string | undefined> => {
  const response = await api.asApp().requestJira(route`/rest/api/3/serverInfo`, { headers: { Accept: 'application/json' } });
  if (!response.ok) return undefined;
  const parsed = serverInfo.safeParse(await response.json());
  return parsed.success ? parsed.data.baseUrl : undefined;
};
