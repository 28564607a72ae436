import type { MaskMode } from './model';

/** What the admin page shows in place of a hidden URL part. */
export const MASK = '•••';

/**
 * The URL as the admin page, the delivery log and audit events may show it. Receivers often put their
 * token in the query (?code= for Azure Functions, ?sig= for Power Automate) or in the path (Slack), so
 * the admin chooses what to hide. Slack URLs always hide everything after /services/.
 */
export function maskUrl(raw: string, mode: MaskMode): string {
  if (mode === 'none') return raw;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Never echo something we cannot take apart: it may be a secret pasted in the wrong field.
    return MASK;
  }
  const path = mode === 'path-and-query' ? maskPathAfterFirstSegment(url.pathname) : url.pathname;
  return `${url.origin}${path}${maskQuery(url.search)}`;
}

function maskPathAfterFirstSegment(pathname: string): string {
  const segments = pathname.split('/').slice(1);
  if (segments.length <= 1) return pathname;
  return `/${segments[0] ?? ''}/${MASK}`;
}

/** Keeps parameter names (they tell the admin which URL this is) and hides every value. */
function maskQuery(search: string): string {
  if (search === '' || search === '?') return search;
  const masked = search
    .slice(1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      // A bare parameter ("?abc123") may itself be the token.
      return eq < 0 ? MASK : `${pair.slice(0, eq)}=${MASK}`;
    });
  return `?${masked.join('&')}`;
}
