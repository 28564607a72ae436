/**
 * A stand-in for Microsoft Entra ID's token endpoint, POST /<tenant>/oauth2/v2.0/token, for a receiver
 * on 127.0.0.1 (test/integration/support/receiver.ts hands it each request): the client-credentials
 * grant with a form-encoded body, answered with a bearer token or with Entra's error JSON. It counts
 * the calls, so a test can see tokens being cached and refreshed.
 */
import type { Answer, ReceivedRequest } from '../receiver';

export interface EntraTokenOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Defaults to Azure Monitor's, https://monitor.azure.com//.default. */
  scope?: string;
  /** Seconds the issued token lives (Entra answers 3599). */
  expiresIn?: number;
}

export class EntraTokenEndpoint {
  /** Every call, valid or not. */
  calls = 0;
  /** Calls answered with a token. */
  issued = 0;
  /** The secret the endpoint accepts; change it to simulate a rotated or expired secret. */
  clientSecret: string;
  private readonly tokens: string[] = [];

  constructor(private readonly options: EntraTokenOptions) {
    this.clientSecret = options.clientSecret;
  }

  get path(): string {
    return `/${this.options.tenantId}/oauth2/v2.0/token`;
  }

  /** The last token handed out (what the ingestion request must carry). */
  get lastToken(): string | undefined {
    return this.tokens[this.tokens.length - 1];
  }

  /** Whether a token is one this endpoint issued. */
  issuedToken(token: string): boolean {
    return this.tokens.includes(token);
  }

  /** Answers one request as Entra would. Use as a Receiver responder, or call it from one. */
  readonly handle = (request: Pick<ReceivedRequest, 'method' | 'path' | 'headers' | 'body'>): Answer => {
    this.calls += 1;
    if (request.method !== 'POST' || new URL(request.path, 'http://entra.invalid').pathname !== this.path) {
      return entraError(404, 'invalid_request', `AADSTS90002: Tenant or path not found: ${request.method} ${request.path}.`);
    }
    const contentType = request.headers['content-type'];
    if (typeof contentType !== 'string' || !contentType.startsWith('application/x-www-form-urlencoded')) {
      return entraError(400, 'invalid_request', "AADSTS900144: The request body must contain the following parameter: 'grant_type'.");
    }
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'client_credentials') {
      return entraError(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.');
    }
    if (form.get('client_id') !== this.options.clientId) {
      return entraError(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${String(form.get('client_id'))}' was not found in the directory.`);
    }
    if (form.get('client_secret') !== this.clientSecret) {
      return entraError(401, 'invalid_client', `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${this.options.clientId}'.`);
    }
    const scope = this.options.scope ?? 'https://monitor.azure.com//.default';
    if (form.get('scope') !== scope) {
      return entraError(400, 'invalid_scope', `AADSTS1002012: The provided value for scope ${String(form.get('scope'))} is not valid.`);
    }
    this.issued += 1;
    const token = `entra-test-token-${this.issued}`;
    this.tokens.push(token);
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ token_type: 'Bearer', expires_in: this.options.expiresIn ?? 3599, ext_expires_in: this.options.expiresIn ?? 3599, access_token: token }),
    };
  };
}

/** Entra's error JSON. */
export function entraError(status: number, error: string, description: string): { status: number; headers: Record<string, string>; body: string } {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ error, error_description: description, error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)], timestamp: '2026-03-01 12:00:00Z' }),
  };
}
