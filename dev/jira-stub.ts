/** A tiny stand-in for the Jira Cloud REST API reached through `requestJira` (`__forge_fetch__`
 * with `{type:'fpp', remote:'jira'}`): audit records, my-permissions, myself, with injectable
 * failures. Everything else answers 404 so the app notices what the stub does not cover. */
import { z } from 'zod';
import type { Counters } from './stats';
import { jsonResponse } from './responses';

export interface AuditRecord { id: number; created: string; [field: string]: unknown }
export interface AuditState { records: AuditRecord[]; nextId: number }

export interface JiraFailureRule { pathPrefix: string; status: number; retryAfter?: number; times: number; body?: unknown }
export const jiraFailureRuleSchema = z.object({
  pathPrefix: z.string().min(1),
  status: z.number().int().min(100).max(599),
  retryAfter: z.number().nonnegative().optional(),
  times: z.number().int().positive().default(1),
  body: z.unknown().optional(),
});

export type Caller = { kind: 'app' } | { kind: 'user'; accountId: string } | { kind: 'anonymous' };

const SYSTEM_PERMISSIONS = new Set(['ADMINISTER', 'SYSTEM_ADMIN']);

/** Jira writes `2014-03-19T18:45:42.967+0000`; Date.parse reads that, but be lenient anyway. */
export function parseJiraDate(s: string): number {
  const t = Date.parse(s);
  if (!Number.isNaN(t)) return t;
  return Date.parse(s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

export function formatJiraDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export class JiraStub {
  private readonly failures: JiraFailureRule[] = [];

  constructor(
    private readonly audit: AuditState,
    private readonly admins: readonly string[],
    private readonly counters: Counters,
    private readonly now: () => number,
    private readonly siteUrl: () => string,
    private readonly onChange: () => void,
  ) {}

  isAdmin(accountId: string): boolean {
    return this.admins.includes(accountId);
  }

  addAuditRecords(records: readonly unknown[]): AuditRecord[] {
    const added: AuditRecord[] = [];
    for (const r of records) {
      const base = typeof r === 'object' && r !== null ? (r as Record<string, unknown>) : {};
      const id = typeof base.id === 'number' ? base.id : this.audit.nextId;
      this.audit.nextId = Math.max(this.audit.nextId, id) + 1;
      const created = typeof base.created === 'string' ? base.created : formatJiraDate(this.now());
      const record: AuditRecord = { summary: 'Audit record', category: 'user management', eventSource: '', ...base, id, created };
      this.audit.records.push(record);
      added.push(record);
    }
    this.onChange();
    return added;
  }

  fail(rule: JiraFailureRule): void {
    this.failures.push({ ...rule });
  }

  handle(caller: Caller, pathWithQuery: string, init: RequestInit | undefined): Response {
    this.counters.jira.requests++;
    const url = new URL(pathWithQuery, 'https://jira.invalid');
    const method = (init?.method ?? 'GET').toUpperCase();
    const rule = this.failures.find((f) => url.pathname.startsWith(f.pathPrefix) && f.times > 0);
    if (rule) {
      rule.times--;
      if (rule.times <= 0) this.failures.splice(this.failures.indexOf(rule), 1);
      this.counters.jira.injectedFailures++;
      return jsonResponse(rule.status, rule.body ?? { errorMessages: [`Injected failure (${rule.status}) by the local Forge host`], errors: {} }, {
        ...(rule.retryAfter !== undefined ? { 'retry-after': String(rule.retryAfter) } : {}),
      });
    }
    if (caller.kind === 'anonymous') {
      return jsonResponse(401, { errorMessages: ['No user in this invocation: asUser() needs a user context.'] }, { 'forge-proxy-error': 'NEEDS_AUTHENTICATION_ERR' });
    }
    const admin = caller.kind === 'app' || this.isAdmin(caller.accountId);
    if (method === 'GET' && url.pathname === '/rest/api/3/mypermissions') {
      const keys = (url.searchParams.get('permissions') ?? '').split(',').map((k) => k.trim()).filter(Boolean);
      if (keys.length === 0) return jsonResponse(400, { errorMessages: ['The permissions query parameter is required.'], errors: {} });
      const permissions: Record<string, unknown> = {};
      for (const key of keys) {
        permissions[key] = { id: key, key, name: key, type: SYSTEM_PERMISSIONS.has(key) ? 'GLOBAL' : 'PROJECT', havePermission: SYSTEM_PERMISSIONS.has(key) ? admin : true };
      }
      return jsonResponse(200, { permissions });
    }
    if (method === 'GET' && url.pathname === '/rest/api/3/myself') {
      const accountId = caller.kind === 'user' ? caller.accountId : 'system-app-user';
      return jsonResponse(200, { accountId, accountType: caller.kind === 'app' ? 'app' : 'atlassian', displayName: accountId, active: true, timeZone: 'UTC', locale: 'en_US' });
    }
    if (method === 'GET' && url.pathname === '/rest/api/3/serverInfo') {
      return jsonResponse(200, { baseUrl: this.siteUrl(), deploymentType: 'Cloud', serverTitle: 'Jira (local Forge host)', version: '1001.0.0' });
    }
    if (method === 'GET' && url.pathname === '/rest/api/3/auditing/record') {
      if (!admin) return jsonResponse(403, { errorMessages: ['You do not have permission to view the audit log. Administer Jira is required.'], errors: {} });
      return this.auditRecords(url.searchParams);
    }
    this.counters.jira.notFound++;
    return jsonResponse(404, { errorMessages: [`The local Forge host's stub Jira has no ${method} ${url.pathname}`], errors: {} });
  }

  private auditRecords(q: URLSearchParams): Response {
    const offset = Math.max(0, Number.parseInt(q.get('offset') ?? '0', 10) || 0);
    const limitRaw = Number.parseInt(q.get('limit') ?? '1000', 10);
    const limit = Number.isFinite(limitRaw) && limitRaw > 0 ? limitRaw : 1000;
    const from = q.get('from');
    const to = q.get('to');
    const fromMs = from ? parseJiraDate(from) : undefined;
    const toMs = to ? parseJiraDate(to) : undefined;
    if ((from && Number.isNaN(fromMs)) || (to && Number.isNaN(toMs))) {
      return jsonResponse(400, { errorMessages: ['from and to must be ISO 8601 date-times'], errors: {} });
    }
    const matching = this.audit.records
      .filter((r) => {
        const t = parseJiraDate(r.created);
        if (fromMs !== undefined && t < fromMs) return false;
        if (toMs !== undefined && t > toMs) return false;
        if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) return false;
        return true;
      })
      .sort((a, b) => parseJiraDate(b.created) - parseJiraDate(a.created) || b.id - a.id);
    return jsonResponse(200, { offset, limit, total: matching.length, records: matching.slice(offset, offset + limit) });
  }
}
