import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FailedOutcome } from '../../domain/delivery/outcome';
import type { AuthCodeClient } from '../../domain/destinations/contract';
import type { Clock, HttpSender, KeyValueStore, Logger, SecretStore } from '../ports';
import { buildRefresh, codeClientKey, NOT_AUTHORIZED_MESSAGE, readGrantAnswer, REVOKED_MESSAGE, SETTINGS_CHANGED_MESSAGE } from './oauth-code-request';
import { grantLeaseKey, grantSecretKey, grantStatusKey, readGrant, readGrantStatus, type GrantStatus, type StoredGrant } from './oauth-code-grant';
import { usableForMs } from './oauth-token-request';

export type CodeTokenResult = { ok: true; token: string } | { ok: false; outcome: FailedOutcome };

export interface OAuthCodeTokensDeps {
  secrets: SecretStore;
  kvs: KeyValueStore;
  http: HttpSender;
  clock: Clock;
  logger: Logger;
  sleep: (ms: number) => Promise<void>;
  memoryKey?: () => string;
}

/** A refresh takes well under this; a holder that died frees the lease when it expires. */
export const CODE_LEASE_TTL_SECONDS = 30;
/** How long a caller that found the lease held looks for the holder's refreshed token (5 s in all). */
export const CODE_LEASE_POLL_MS: readonly number[] = [200, 300, 500, 1_000, 1_000, 1_000, 1_000];

const LeaseSchema = z.object({ holder: z.string() });

const fail = (message: string): CodeTokenResult => ({ ok: false, outcome: { kind: 'permanent', errorClass: 'other', failsEndpoint: true, message } });

/**
 * Access tokens of authorization-code grants (one grant per webhook), refreshed with the refresh token
 * shortly before they expire (usableForMs: 60 s early) and once when a receiver answers 401.
 *
 * Providers may rotate refresh tokens (each refresh answers a new one and voids the old): two runtimes
 * refreshing side by side with the same refresh token would make the second one fail as revoked. So only
 * the holder of a KVS lease (`oauth-code-lease:<webhook id>`, 30 s) refreshes; the others wait for its
 * token in the SecretStore and, if it does not come within 5 s, answer a retry (they never refresh
 * themselves). An invalid_grant answer deletes the tokens, marks the grant revoked and fails the webhook
 * at once (failsEndpoint) with REVOKED_MESSAGE. Never throws.
 */
export class OAuthCodeTokens {
  private readonly memory = new Map<string, StoredGrant>();
  private readonly flights = new Map<string, Promise<CodeTokenResult>>();

  constructor(private readonly deps: OAuthCodeTokensDeps) {}

  async token(webhookId: string, client: AuthCodeClient, options: { rejected?: string } = {}): Promise<CodeTokenResult> {
    const clientKey = codeClientKey(client);
    const slot = `${this.deps.memoryKey?.() ?? 'instance'}:${webhookId}`;
    const remembered = this.memory.get(slot);
    if (remembered && this.usable(remembered, clientKey, options.rejected)) return { ok: true, token: remembered.accessToken };
    let flight = this.flights.get(slot);
    if (!flight) {
      const started = this.obtain(webhookId, client, clientKey, slot, options.rejected);
      flight = started;
      this.flights.set(slot, started);
      void started.finally(() => {
        if (this.flights.get(slot) === started) this.flights.delete(slot);
      });
    }
    const result = await flight;
    // A flight that was under way when the receiver refused its token may bring back that very token.
    if (options.rejected !== undefined && result.ok && result.token === options.rejected) return this.obtain(webhookId, client, clientKey, slot, options.rejected);
    return result;
  }

  private usable(grant: StoredGrant, clientKey: string, rejected: string | undefined): boolean {
    return grant.clientKey === clientKey && grant.expiresAtMs > this.deps.clock.now().getTime() && grant.accessToken !== rejected;
  }

  private async obtain(webhookId: string, client: AuthCodeClient, clientKey: string, slot: string, rejected: string | undefined): Promise<CodeTokenResult> {
    try {
      const stored = await readGrant(this.deps.secrets, webhookId);
      if (!stored || stored.clientKey !== clientKey) return await this.notAuthorized(webhookId, clientKey);
      if (this.usable(stored, clientKey, rejected)) return this.use(slot, stored);
      if (!stored.refreshToken) return fail(REVOKED_MESSAGE.replace('revoked or expired', 'expired (the provider gave no refresh token)'));
      const holder = randomUUID();
      const taken = await this.deps.kvs.setIfAbsent(grantLeaseKey(webhookId), { holder, at: this.deps.clock.now().toISOString() }, { ttlSeconds: CODE_LEASE_TTL_SECONDS });
      if (!taken) {
        for (const ms of CODE_LEASE_POLL_MS) {
          await this.deps.sleep(ms);
          const fresh = await readGrant(this.deps.secrets, webhookId);
          if (fresh && this.usable(fresh, clientKey, rejected)) return this.use(slot, fresh);
        }
        this.deps.logger.info('oauth.code.lease-wait-expired', { webhookId });
        return { ok: false, outcome: { kind: 'retry', errorClass: 'other', message: 'Another delivery run is refreshing the OAuth access token: the next attempt uses the new one.' } };
      }
      try {
        // The previous holder may have stored a new token between our first read and our lease.
        const fresh = await readGrant(this.deps.secrets, webhookId);
        if (!fresh || fresh.clientKey !== clientKey) return await this.notAuthorized(webhookId, clientKey);
        if (this.usable(fresh, clientKey, rejected)) return this.use(slot, fresh);
        return await this.refresh(webhookId, client, clientKey, slot, fresh);
      } finally {
        await this.release(webhookId, holder);
      }
    } catch (error) {
      this.deps.logger.error('oauth.code.failed', { webhookId, errorName: error instanceof Error ? error.name : typeof error });
      return { ok: false, outcome: { kind: 'retry', errorClass: 'other', message: 'Could not get an OAuth access token (internal error): the next attempt tries again.' } };
    }
  }

  private use(slot: string, grant: StoredGrant): CodeTokenResult {
    this.memory.set(slot, grant);
    if (this.memory.size > 200) this.memory.delete(this.memory.keys().next().value as string);
    return { ok: true, token: grant.accessToken };
  }

  private async notAuthorized(webhookId: string, clientKey: string): Promise<CodeTokenResult> {
    const status: GrantStatus | undefined = await readGrantStatus(this.deps.kvs, webhookId);
    if (!status) return fail(NOT_AUTHORIZED_MESSAGE);
    if (status.clientKey !== clientKey) return fail(SETTINGS_CHANGED_MESSAGE);
    return fail(status.state === 'revoked' ? (status.reason ?? REVOKED_MESSAGE) : NOT_AUTHORIZED_MESSAGE);
  }

  private async refresh(webhookId: string, client: AuthCodeClient, clientKey: string, slot: string, grant: StoredGrant): Promise<CodeTokenResult> {
    const result = await this.deps.http.send(buildRefresh(client, grant.refreshToken as string));
    const answer = readGrantAnswer(result, client, this.deps.clock.now());
    const status = result.kind === 'response' ? result.status : undefined;
    if (!answer.ok) {
      this.deps.logger.warn('oauth.code.refresh-refused', { webhookId, ...(status === undefined ? {} : { status }), outcome: answer.outcome.kind, revoked: answer.revoked });
      if (answer.revoked) await this.markRevoked(webhookId, slot);
      return { ok: false, outcome: answer.outcome };
    }
    const fetchedAtMs = this.deps.clock.now().getTime();
    // A provider that does not rotate answers no refresh token: the old one stays good.
    const next: StoredGrant = {
      clientKey,
      accessToken: answer.accessToken,
      refreshToken: answer.refreshToken ?? grant.refreshToken,
      expiresAtMs: fetchedAtMs + usableForMs(answer.expiresInSeconds),
      fetchedAtMs,
    };
    await this.deps.secrets.set(grantSecretKey(webhookId), next);
    this.deps.logger.info('oauth.code.refreshed', { webhookId, status, rotated: answer.refreshToken !== undefined, durationMs: result.durationMs });
    return this.use(slot, next);
  }

  private async markRevoked(webhookId: string, slot: string): Promise<void> {
    this.memory.delete(slot);
    const status = await readGrantStatus(this.deps.kvs, webhookId);
    await this.deps.secrets.delete(grantSecretKey(webhookId));
    if (status) await this.deps.kvs.set<GrantStatus>(grantStatusKey(webhookId), { ...status, state: 'revoked', revokedAt: this.deps.clock.now().toISOString(), reason: REVOKED_MESSAGE });
  }

  private async release(webhookId: string, holder: string): Promise<void> {
    try {
      const lease = LeaseSchema.safeParse(await this.deps.kvs.get<unknown>(grantLeaseKey(webhookId)));
      if (lease.success && lease.data.holder === holder) await this.deps.kvs.delete(grantLeaseKey(webhookId));
    } catch {
      this.deps.logger.warn('oauth.code.lease-release-failed', { webhookId });
    }
  }
}
