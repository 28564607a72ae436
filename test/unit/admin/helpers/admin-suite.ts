import { createAdminHandlers } from '../../../../src/app/admin/admin-handlers';
import { WebhookRepository } from '../../../../src/app/admin/webhook-repository';
import type { ApiResult } from '../../../../src/contract/envelope';
import type { WebhookView } from '../../../../src/contract/webhook-view';
import { ADMIN, memoryDeps } from './memory-ports';

/** Shared fixtures of the admin use-case tests: handlers over in-memory ports, and secrets to scan for. */
export const SECRET_A = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const SECRET_B = 'whsec_AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB';
export const secretN = (n: number): string => `whsec_${Buffer.alloc(32, n + 10).toString('base64')}`;
export const AUTH = 'Splunk 7f3c9e1a-aaaa-bbbb-cccc-0123456789ab';
export const API_KEY = 'dd-api-key-0123456789abcdef';
export const SLACK_TOKEN = 'abcdEFGH1234ijklMNOP5678';
export const SLACK_URL = `https://hooks.slack.com/services/T0001ABCD/B0002EFGH/${SLACK_TOKEN}`;
export const QUERY_TOKEN = 'querytoken-987654321';

/** Every whole secret this suite stores: none may ever appear in a response, an error or a log line. */
export const SECRET_VALUES = [SECRET_A, SECRET_B, AUTH, '7f3c9e1a-aaaa-bbbb-cccc-0123456789ab', API_KEY, SLACK_TOKEN, QUERY_TOKEN, ...Array.from({ length: 12 }, (_, i) => secretN(i))];

export function setup(egressHosts?: string[]) {
  const deps = memoryDeps(egressHosts);
  const handlers = createAdminHandlers(deps);
  const responses: unknown[] = [];
  const call = async <R>(promise: Promise<R>): Promise<R> => {
    const result = await promise;
    responses.push(result);
    return result;
  };
  return { deps, handlers, responses, call, repository: new WebhookRepository(deps.kvs, deps.secrets, deps.clock) };
}

export const customInput = {
  kind: 'custom',
  name: 'Splunk production',
  url: `https://splunk.example.com:8443/services/collector?token=${QUERY_TOKEN}`,
  events: ['*'],
  secrets: [SECRET_A],
  authorization: { type: 'raw', value: AUTH },
  headers: [
    { name: 'X-Env', value: 'prod' },
    { name: 'DD-API-KEY', value: API_KEY, sensitive: true },
  ],
  maskUrl: 'query',
};

export function data<T>(result: ApiResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.data;
}
export function failure<T>(result: ApiResult<T>) {
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

export async function created(t: ReturnType<typeof setup>, input: Record<string, unknown> = customInput): Promise<WebhookView> {
  return data(await t.call(t.handlers['webhooks.create'](ADMIN, input))).webhook;
}

export type Suite = ReturnType<typeof setup>;

/** The guarantee behind every test: no whole secret in any response, error, log line or audit event. */
export function expectNoSecretLeaked(suite: Suite): void {
  const seen = JSON.stringify([suite.responses, suite.deps.logger.lines, suite.deps.audit.events]);
  for (const secret of SECRET_VALUES) expect(seen).not.toContain(secret);
}
