import { commonUrlProblems, type UrlCheck } from '../webhook/url-rules';
import type { MaskMode } from '../webhook/model';
import type { Settings } from './contract';
import { destinationModule } from './registry';

/**
 * Validates a webhook URL for its kind: the rules every URL meets (url-rules.ts), then the kind's own.
 * Egress (manifest permissions.external.fetch.backend) is checked separately by the use case, because it
 * depends on the deployed app, not on the URL alone.
 */
export function validateWebhookUrl(raw: string, kind: string, settings: Settings = {}): UrlCheck {
  const problems = commonUrlProblems(raw);
  if (problems.length > 0) return { ok: false, problems };
  const url = new URL(raw);
  const kindProblems = destinationModule(kind).urlProblems(url, settings);
  if (kindProblems.length > 0) return { ok: false, problems: kindProblems };
  return { ok: true, url, host: url.hostname };
}

/** The mask a webhook's URL gets: the kind's own when it has one (Slack's URL is its credential). */
export const effectiveMaskMode = (kind: string, mode: MaskMode): MaskMode => destinationModule(kind).forcedMask ?? mode;
