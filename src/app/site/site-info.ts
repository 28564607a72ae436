import { z } from 'zod';
import type { RenderContext } from '../../domain/destinations/contract';
import type { Clock, KeyValueStore, Logger } from '../ports';

/**
 * The Jira site's own address, for links in messages (issues, projects, the delivery log). Forge gives
 * functions no site URL, so it is asked of Jira once (`/rest/api/3/serverInfo`, as the app) and kept: in
 * the runtime's memory, per installation, and in KVS for the next runtimes. A failure leaves messages
 * without links (never without the event) and is asked again after a pause.
 */
export const SITE_INFO_KEY = 'site-info';
/** A site's address practically never changes; asking once a day keeps a renamed site right within a day. */
export const SITE_INFO_REFRESH_MS = 24 * 3_600_000;
/** After a failed ask, messages go without links for this long before Jira is asked again. */
export const SITE_INFO_RETRY_MS = 10 * 60_000;

const storedSchema = z.object({ baseUrl: z.string(), checkedAt: z.string() });

export interface SiteInfoDeps {
  store: KeyValueStore;
  clock: Clock;
  logger: Logger;
  /** Jira's base URL as serverInfo answers it, or undefined when Jira did not answer. */
  fetchBaseUrl: () => Promise<string | undefined>;
  /** The admin page's path on the site ("/jira/settings/apps/configure/<appId>/<envId>"), when known. */
  adminPagePath: () => string | undefined;
  /** Whose memory this is (the installation), so one runtime serving two sites never mixes them up. */
  memoryKey: () => string;
}

interface Remembered {
  baseUrl?: string;
  /** When to look again (epoch ms). */
  untilMs: number;
}

const memory = new Map<string, Remembered>();

/** An https origin with no path, query or credentials: the only shape a link base may take. */
export const siteBaseUrl = (raw: string): string | undefined => {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' || url.username || url.password) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
};

export class SiteInfo {
  constructor(private readonly deps: SiteInfoDeps) {}

  /** The render context of this site: links when its address is known, nothing otherwise. */
  async context(): Promise<RenderContext> {
    const baseUrl = await this.baseUrl();
    if (!baseUrl) return {};
    const path = this.deps.adminPagePath();
    return { siteUrl: baseUrl, siteHost: new URL(baseUrl).host, ...(path ? { adminPageUrl: `${baseUrl}${path}` } : {}) };
  }

  private async baseUrl(): Promise<string | undefined> {
    const key = this.deps.memoryKey();
    const nowMs = this.deps.clock.now().getTime();
    const remembered = memory.get(key);
    if (remembered && remembered.untilMs > nowMs) return remembered.baseUrl;
    try {
      const stored = storedSchema.safeParse(await this.deps.store.get<unknown>(SITE_INFO_KEY));
      if (stored.success && nowMs - Date.parse(stored.data.checkedAt) < SITE_INFO_REFRESH_MS) {
        const baseUrl = siteBaseUrl(stored.data.baseUrl);
        if (baseUrl) {
          memory.set(key, { baseUrl, untilMs: Date.parse(stored.data.checkedAt) + SITE_INFO_REFRESH_MS });
          return baseUrl;
        }
      }
      const fetched = await this.deps.fetchBaseUrl();
      const baseUrl = fetched === undefined ? undefined : siteBaseUrl(fetched);
      if (!baseUrl) {
        memory.set(key, { ...(stored.success ? { baseUrl: siteBaseUrl(stored.data.baseUrl) } : {}), untilMs: nowMs + SITE_INFO_RETRY_MS });
        return memory.get(key)?.baseUrl;
      }
      await this.deps.store.set(SITE_INFO_KEY, { baseUrl, checkedAt: new Date(nowMs).toISOString() });
      memory.set(key, { baseUrl, untilMs: nowMs + SITE_INFO_REFRESH_MS });
      return baseUrl;
    } catch (error) {
      // Links are a nicety: a store or Jira failure must never fail a delivery.
      this.deps.logger.warn('Could not learn the site address; messages go without Jira links for now', { error: error instanceof Error ? error.name : 'unknown' });
      memory.set(key, { untilMs: nowMs + SITE_INFO_RETRY_MS });
      return undefined;
    }
  }
}
