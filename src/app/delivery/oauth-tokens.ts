import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FailedOutcome } from '../../domain/delivery/outcome';
import type { AuthCodeClient, ClientCredentials } from '../../domain/destinations/contract';
import type { Clock, HttpSender, KeyValueStore, Logger, SecretStore } from '../ports';
import { OAuthCodeTokens } from './oauth-code-tokens';
import { TokenMemory, type CachedToken } from './oauth-token-memory';
import { buildTokenRequest, readTokenAnswer, tokenCacheKey, usableForMs } from './oauth-token-request';

export type BearerTokenResult = { ok: true; token: string } | { ok: false; outcome: FailedOutcome };

export interface BearerTokens {
  /** A valid bearer token for this client. `rejected`: the token a receiver just answered 401 to; a new one is fetched unless the cache already holds a different, newer one. */
  token(client: ClientCredentials, options?: { rejected?: string }): Promise<BearerTokenResult>;
  /** The access token of a webhook's authorization-code grant (oauth-code-tokens.ts), refreshed as needed. */
  codeToken?(webhookId: string, client: AuthCodeClient, options?: { rejected?: string }): Promise<BearerTokenResult>;
}

export interface OAuthTokensDeps {
  /** Where fetched tokens are shared between runtimes (encrypted: a token is a credential). */
  secrets: SecretStore;
  /** Holds the short lease that lets one caller fetch while the others wait. */
  kvs: KeyValueStore;
  http: HttpSender;
  clock: Clock;
  logger: Logger;
  sleep: (ms: number) => Promise<void>;
  /**
   * The installation this invocation serves (platform's installationKey). Given, tokens are remembered
   * in this runtime's memory across invocations, per installation; without it, only for this instance.
   */
  memoryKey?: () => string;
  /** This runtime's memory (tests give each simulated runtime its own); defaults as memoryKey says. */
  memory?: TokenMemory<BearerTokenResult>;
}

/** One fetch takes well under this; a holder that died frees the lease when it expires. */
export const LEASE_TTL_SECONDS = 30;
/** How a caller that found the lease held looks for the holder's token: 5 s in all, then it fetches itself. */
export const LEASE_POLL_MS: readonly number[] = [200, 300, 500, 1_000, 1_000, 1_000, 1_000];

export const tokenSecretKey = (cacheKey: string): string => `oauth-token:${cacheKey}`;
export const tokenLeaseKey = (cacheKey: string): string => `oauth-lease:${cacheKey}`;

/** Module state outlives invocations in a warm runtime: every OAuthTokens given a memoryKey shares this. */
const runtimeMemory = new TokenMemory<BearerTokenResult>();

const StoredTokenSchema = z.object({
  token: z.string().min(1),
  expiresAtMs: z.number().finite(),
  fetchedAtMs: z.number().finite().optional(),
});

const LeaseSchema = z.object({ holder: z.string() });

type Lease = { kind: 'holder'; holder: string } | { kind: 'held' } | { kind: 'unavailable' };

/** The rejected token, and when it was fetched where we can tell: a replacement must be another, newer one. */
interface Rejection {
  token: string;
  fetchedAtMs?: number;
}

/** Logs name a client by a prefix of its cache key: stable, and it reveals nothing. */
const clientRef = (cacheKey: string): string => cacheKey.slice(0, 12);

/**
 * OAuth 2.0 client-credentials tokens (Microsoft Sentinel's Entra ID, custom webhooks with OAuth
 * settings), fetched once and shared:
 *
 * - in this runtime's memory (per installation, bounded), then in the SecretStore (`oauth-token:<key>`),
 *   used until shortly before they expire. Stored entries carry their own expiry: Forge keys and secrets
 *   can be read after their time, and a secret has no TTL at all.
 * - one token request for many callers: in one runtime concurrent calls share one promise; across
 *   runtimes running side by side, a KVS lease (`oauth-lease:<key>`, 30 s) lets one caller fetch while
 *   the others poll the SecretStore for up to 5 s, then fetch themselves (a holder may die: nobody
 *   waits longer than that).
 *
 * Never throws: a failure is a FailedOutcome the delivery engine records like a receiver's answer.
 */
export class OAuthTokens implements BearerTokens {
  private readonly memory: TokenMemory<BearerTokenResult>;
  private readonly memoryKey: () => string;
  private readonly code: OAuthCodeTokens;

  constructor(private readonly deps: OAuthTokensDeps) {
    this.memory = deps.memory ?? (deps.memoryKey ? runtimeMemory : new TokenMemory<BearerTokenResult>());
    this.memoryKey = deps.memoryKey ?? (() => 'instance');
    this.code = new OAuthCodeTokens(deps);
  }

  codeToken(webhookId: string, client: AuthCodeClient, options: { rejected?: string } = {}): Promise<BearerTokenResult> {
    return this.code.token(webhookId, client, options);
  }

  async token(client: ClientCredentials, options: { rejected?: string } = {}): Promise<BearerTokenResult> {
    const cacheKey = tokenCacheKey(client);
    const slot = `${this.memoryKey()}:${cacheKey}`;
    const { rejected } = options;
    let result: BearerTokenResult | undefined;
    // Two rounds: a flight that was under way when the receiver refused its token may bring back that
    // very token (read from the SecretStore); the second round fetches past it.
    for (let round = 0; round < 2; round += 1) {
      const remembered = this.memory.get(slot);
      const rejection = rejected === undefined ? undefined : this.rejection(rejected, remembered);
      if (remembered && this.usable(remembered, rejection)) return { ok: true, token: remembered.token };
      let flight = this.memory.flights.get(slot);
      if (!flight) {
        const started = this.obtain(client, cacheKey, slot, rejection);
        flight = started;
        this.memory.flights.set(slot, started);
        // obtain never rejects, so this chain cannot leave an unhandled rejection behind.
        void started.finally(() => {
          if (this.memory.flights.get(slot) === started) this.memory.flights.delete(slot);
        });
      }
      result = await flight;
      if (!result.ok || rejected === undefined || result.token !== rejected) return result;
    }
    // The endpoint handed out the refused token again (some cache their tokens until expiry): nothing
    // better exists; the receiver's next 401 is the delivery engine's to judge.
    return result as BearerTokenResult;
  }

  private rejection(token: string, remembered: CachedToken | undefined): Rejection {
    return remembered?.token === token ? { token, fetchedAtMs: remembered.fetchedAtMs } : { token };
  }

  private usable(entry: CachedToken, rejection: Rejection | undefined): boolean {
    if (entry.expiresAtMs <= this.nowMs()) return false;
    if (!rejection) return true;
    if (entry.token === rejection.token) return false;
    // Not older (runtimes' clocks differ a little, and two fetches can share a millisecond): a token
    // fetched before the rejected one is no better than it.
    return rejection.fetchedAtMs === undefined || entry.fetchedAtMs >= rejection.fetchedAtMs;
  }

  private nowMs(): number {
    return this.deps.clock.now().getTime();
  }

  /** The look-up one flight makes: SecretStore, then the lease, then the token endpoint. Never rejects. */
  private async obtain(client: ClientCredentials, cacheKey: string, slot: string, rejection: Rejection | undefined): Promise<BearerTokenResult> {
    try {
      const stored = await this.readStored(cacheKey);
      if (rejection && stored?.token === rejection.token) rejection.fetchedAtMs ??= stored.fetchedAtMs;
      if (stored && this.usable(stored, rejection)) {
        this.memory.remember(slot, stored);
        return { ok: true, token: stored.token };
      }
      const lease = await this.takeLease(cacheKey);
      if (lease.kind === 'held') {
        const shared = await this.awaitHolder(cacheKey, rejection);
        if (shared) {
          this.memory.remember(slot, shared);
          return { ok: true, token: shared.token };
        }
        this.deps.logger.info('oauth.token.lease-wait-expired', { client: clientRef(cacheKey) });
        return await this.fetchAndStore(client, cacheKey, slot);
      }
      try {
        if (lease.kind === 'holder') {
          // The previous holder may have stored its token between our first read and our lease.
          const fresh = await this.readStored(cacheKey);
          if (fresh && this.usable(fresh, rejection)) {
            this.memory.remember(slot, fresh);
            return { ok: true, token: fresh.token };
          }
        }
        return await this.fetchAndStore(client, cacheKey, slot);
      } finally {
        if (lease.kind === 'holder') await this.releaseLease(cacheKey, lease.holder);
      }
    } catch (error) {
      // Only a bug gets here (every port call below is guarded): say so without the error's text, which
      // could quote a request.
      this.deps.logger.error('oauth.token.failed', { client: clientRef(cacheKey), errorName: error instanceof Error ? error.name : typeof error });
      return { ok: false, outcome: { kind: 'retry', errorClass: 'other', message: 'Could not get an OAuth token (internal error): the next attempt tries again.' } };
    }
  }

  private async readStored(cacheKey: string): Promise<CachedToken | undefined> {
    try {
      const parsed = StoredTokenSchema.safeParse(await this.deps.secrets.get<unknown>(tokenSecretKey(cacheKey)));
      if (!parsed.success) return undefined;
      const { token, expiresAtMs, fetchedAtMs } = parsed.data;
      return { token, expiresAtMs, fetchedAtMs: fetchedAtMs ?? 0 };
    } catch (error) {
      // A store that cannot be read is a cache miss: the token endpoint still answers.
      this.deps.logger.warn('oauth.token.store-read-failed', { client: clientRef(cacheKey), ...errorCode(error) });
      return undefined;
    }
  }

  private async takeLease(cacheKey: string): Promise<Lease> {
    const holder = randomUUID();
    try {
      const taken = await this.deps.kvs.setIfAbsent(tokenLeaseKey(cacheKey), { holder, at: this.deps.clock.now().toISOString() }, { ttlSeconds: LEASE_TTL_SECONDS });
      return taken ? { kind: 'holder', holder } : { kind: 'held' };
    } catch (error) {
      // Without the lease a few runtimes may fetch at once: a few token requests, not a failed delivery.
      this.deps.logger.warn('oauth.token.lease-failed', { client: clientRef(cacheKey), ...errorCode(error) });
      return { kind: 'unavailable' };
    }
  }

  private async releaseLease(cacheKey: string, holder: string): Promise<void> {
    try {
      // Only our own lease: after its TTL another caller may hold the key.
      const lease = LeaseSchema.safeParse(await this.deps.kvs.get<unknown>(tokenLeaseKey(cacheKey)));
      if (lease.success && lease.data.holder === holder) await this.deps.kvs.delete(tokenLeaseKey(cacheKey));
    } catch (error) {
      this.deps.logger.warn('oauth.token.lease-release-failed', { client: clientRef(cacheKey), ...errorCode(error) });
    }
  }

  /** Polls the SecretStore for the lease holder's token, LEASE_POLL_MS long at most. */
  private async awaitHolder(cacheKey: string, rejection: Rejection | undefined): Promise<CachedToken | undefined> {
    for (const ms of LEASE_POLL_MS) {
      await this.deps.sleep(ms);
      const stored = await this.readStored(cacheKey);
      if (stored && this.usable(stored, rejection)) return stored;
    }
    return undefined;
  }

  private async fetchAndStore(client: ClientCredentials, cacheKey: string, slot: string): Promise<BearerTokenResult> {
    const result = await this.deps.http.send(buildTokenRequest(client));
    const answer = readTokenAnswer(result, client, this.deps.clock.now());
    const status = result.kind === 'response' ? result.status : undefined;
    if (!answer.ok) {
      this.deps.logger.warn('oauth.token.refused', {
        client: clientRef(cacheKey),
        ...(status === undefined ? {} : { status }),
        outcome: answer.outcome.kind,
        errorClass: answer.outcome.errorClass,
        ...(answer.oauthError ? { oauthError: answer.oauthError } : {}),
        durationMs: result.durationMs,
      });
      return { ok: false, outcome: answer.outcome };
    }
    const fetchedAtMs = this.nowMs();
    const entry: CachedToken = { token: answer.token, expiresAtMs: fetchedAtMs + usableForMs(answer.expiresInSeconds), fetchedAtMs };
    this.memory.remember(slot, entry);
    try {
      await this.deps.secrets.set<CachedToken>(tokenSecretKey(cacheKey), entry);
    } catch (error) {
      // The token is good; other runtimes will fetch their own.
      this.deps.logger.warn('oauth.token.store-write-failed', { client: clientRef(cacheKey), ...errorCode(error) });
    }
    this.deps.logger.info('oauth.token.fetched', {
      client: clientRef(cacheKey),
      status,
      ...(answer.expiresInSeconds === undefined ? {} : { expiresInSeconds: answer.expiresInSeconds }),
      durationMs: result.durationMs,
    });
    return { ok: true, token: answer.token };
  }
}

/** A storage error's code only (its message may quote a key or a value). */
const errorCode = (error: unknown): { code?: string } => {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? { code } : {};
};

export { TokenMemory } from './oauth-token-memory';
