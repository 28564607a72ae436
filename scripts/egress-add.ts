/**
 * Adds a webhook host to the app's egress allowlist (manifest.yml permissions.external.fetch.backend),
 * the step the admin page asks for when a URL's host is not allowed yet. Then: `forge deploy` and
 * `forge install --upgrade` (a new egress entry is a permission change each site approves).
 *
 *   npm run egress:add -- siem.example.com
 *   npm run egress:add -- '*.splunkcloud.com'
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument, YAMLSeq } from 'yaml';

const HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;

const main = (): number => {
  const host = (process.argv[2] ?? '').trim().toLowerCase();
  if (!HOST.test(host)) {
    console.error(`Give a host name like siem.example.com or *.example.com (no scheme, path or port); got "${process.argv[2] ?? ''}".`);
    return 2;
  }
  const file = path.resolve(process.env.MANIFEST ?? 'manifest.yml');
  const doc = parseDocument(fs.readFileSync(file, 'utf8'));
  const backend = doc.getIn(['permissions', 'external', 'fetch', 'backend']);
  const list = backend instanceof YAMLSeq ? backend : new YAMLSeq();
  const present = list.items.some((item) => {
    const value = item && typeof item === 'object' && 'toJSON' in item ? (item as { toJSON(): unknown }).toJSON() : item;
    return value === host || (typeof value === 'object' && value !== null && (value as { address?: string }).address === host);
  });
  if (present) {
    console.log(`${host} is already allowed in ${path.relative(process.cwd(), file)}.`);
    return 0;
  }
  list.add(doc.createNode({ address: host }));
  doc.setIn(['permissions', 'external', 'fetch', 'backend'], list);
  fs.writeFileSync(file, doc.toString());
  console.log(`Added ${host} to ${path.relative(process.cwd(), file)}. Now run: forge deploy && forge install --upgrade`);
  return 0;
};

process.exitCode = main();
