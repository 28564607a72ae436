/**
 * What one warm runtime remembers of OAuth tokens, between the invocations it serves. Forge reuses a
 * runtime for later invocations (possibly of other installations), or not at all: this memory only saves
 * SecretStore reads and token requests, it is never the only copy. Keys carry the installation
 * (OAuthTokens' memoryKey), so one installation's tokens never serve another's.
 */

export interface CachedToken {
  token: string;
  /** When this app stops using the token: its own expiry less a margin (oauth-token-request usableForMs). */
  expiresAtMs: number;
  /** When it arrived from the token endpoint: a token that replaces a rejected one must be newer. */
  fetchedAtMs: number;
}

export type TokenFlight<T> = Promise<T>;

/** Enough for every OAuth webhook of a few installations; the oldest entry goes first. */
export const MAX_REMEMBERED_TOKENS = 200;

export class TokenMemory<T = unknown> {
  private readonly tokens = new Map<string, CachedToken>();
  /** Token look-ups under way in this runtime, so concurrent callers share one. */
  readonly flights = new Map<string, TokenFlight<T>>();

  constructor(private readonly maxEntries = MAX_REMEMBERED_TOKENS) {}

  /** The remembered token, even an expired one (callers decide; an expired one is still worth comparing). */
  get(key: string): CachedToken | undefined {
    return this.tokens.get(key);
  }

  remember(key: string, entry: CachedToken): void {
    const known = this.tokens.get(key);
    // Two flights (a rejected token's refresh and a waiter) may end in either order: keep the newer.
    if (known && known.fetchedAtMs > entry.fetchedAtMs) return;
    this.tokens.delete(key);
    this.tokens.set(key, entry);
    while (this.tokens.size > this.maxEntries) {
      const oldest = this.tokens.keys().next().value;
      if (oldest === undefined) break;
      this.tokens.delete(oldest);
    }
  }

  forget(key: string): void {
    this.tokens.delete(key);
  }

  get size(): number {
    return this.tokens.size;
  }
}
