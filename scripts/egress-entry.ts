import { parseDocument, YAMLSeq } from 'yaml';
import { isWebhookPort, webhookPortProblem } from '../src/domain/webhook/ports';

const HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;

const usage = (raw: string): string =>
  `Give a host name like siem.example.com or *.example.com, or host:port for a receiver on port 8443 or another port Forge allows (no path); got "${raw}".`;

export type EgressEntryParse = { ok: true; entry: string } | { ok: false; message: string };

/**
 * The allowlist entry for what an admin typed: `host`, `*.domain`, or `https://host:port`. Forge's allowlist
 * compares host and port together, so a receiver on a port other than 443 needs `https://host:port`, and
 * only on a port Forge's egress proxy connects to (src/domain/webhook/ports.ts, the rule the admin page
 * applies to URLs, with the same message).
 */
export const parseEgressEntry = (raw: string): EgressEntryParse => {
  const [host = '', port, extra] = raw.trim().toLowerCase().replace(/^https:\/\//, '').split(':');
  if (extra !== undefined || !HOST.test(host)) return { ok: false, message: usage(raw) };
  if (port === undefined) return { ok: true, entry: host };
  const number = /^\d{1,5}$/.test(port) ? Number(port) : NaN;
  if (!(number <= 65535)) return { ok: false, message: usage(raw) };
  // 443 is https's default: URLs drop it, so the entry must not carry it.
  if (number === 443) return { ok: true, entry: host };
  if (!isWebhookPort(number)) return { ok: false, message: webhookPortProblem(number) };
  return host.startsWith('*.') ? { ok: false, message: usage(raw) } : { ok: true, entry: `https://${host}:${number}` };
};

export const egressEntryFor = (raw: string): string | undefined => {
  const parsed = parseEgressEntry(raw);
  return parsed.ok ? parsed.entry : undefined;
};

export type EgressEdit = { status: 'added' | 'present'; entry: string; manifest: string } | { status: 'invalid'; message: string };

/** Adds the entry to permissions.external.fetch.backend, keeping the rest of manifest.yml (comments too). */
export const addEgressEntry = (manifestText: string, raw: string): EgressEdit => {
  const parsed = parseEgressEntry(raw);
  if (!parsed.ok) return { status: 'invalid', message: parsed.message };
  const { entry } = parsed;
  const doc = parseDocument(manifestText);
  const backend = doc.getIn(['permissions', 'external', 'fetch', 'backend']);
  const list = backend instanceof YAMLSeq ? backend : new YAMLSeq();
  const present = (list.toJSON() as unknown[]).some(
    (item) => item === entry || (typeof item === 'object' && item !== null && (item as { address?: unknown }).address === entry),
  );
  if (present) return { status: 'present', entry, manifest: manifestText };
  list.add(doc.createNode({ address: entry }));
  doc.setIn(['permissions', 'external', 'fetch', 'backend'], list);
  return { status: 'added', entry, manifest: doc.toString() };
};
