import { parseDocument, YAMLSeq } from 'yaml';

const HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;
/** Forge's allowlist compares host and port together: a receiver on another port needs `https://host:port`. */
const PORT = /^(102[4-9]|10[3-9]\d|1[1-9]\d\d|[2-9]\d{3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d\d|655[0-2]\d|6553[0-5])$/;

/** The allowlist entry for what an admin typed: `host`, `*.domain`, or `https://host:port`. */
export const egressEntryFor = (raw: string): string | undefined => {
  const [host = '', port, extra] = raw.trim().toLowerCase().replace(/^https:\/\//, '').split(':');
  if (extra !== undefined || !HOST.test(host)) return undefined;
  if (port === undefined) return host;
  return PORT.test(port) && !host.startsWith('*.') ? `https://${host}:${port}` : undefined;
};

export type EgressEdit = { status: 'added' | 'present'; entry: string; manifest: string } | { status: 'invalid'; message: string };

/** Adds the entry to permissions.external.fetch.backend, keeping the rest of manifest.yml (comments too). */
export const addEgressEntry = (manifestText: string, raw: string): EgressEdit => {
  const entry = egressEntryFor(raw);
  if (!entry) {
    return {
      status: 'invalid',
      message: `Give a host name like siem.example.com or *.example.com, or host:port for a receiver on port 1024-65535 (no path); got "${raw}".`,
    };
  }
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
