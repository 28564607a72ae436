/**
 * Adds a webhook host to the app's egress allowlist (manifest.yml permissions.external.fetch.backend),
 * the step the admin page asks for when a URL's host is not allowed yet. Then: `forge deploy` and
 * `forge install --upgrade` (a new egress entry is a permission change each site approves).
 *
 *   npm run egress:add -- siem.example.com
 *   npm run egress:add -- '*.splunkcloud.com'
 *   npm run egress:add -- splunk.example.com:8443   (ports: src/domain/webhook/ports.ts)
 */
import fs from 'node:fs';
import path from 'node:path';
import { addEgressEntry } from './egress-entry';

const file = path.resolve(process.env.MANIFEST ?? 'manifest.yml');
const shown = path.relative(process.cwd(), file);
const edit = addEgressEntry(fs.readFileSync(file, 'utf8'), process.argv[2] ?? '');
if (edit.status === 'invalid') {
  console.error(edit.message);
  process.exitCode = 2;
} else if (edit.status === 'present') {
  console.log(`${edit.entry} is already allowed in ${shown}.`);
} else {
  fs.writeFileSync(file, edit.manifest);
  console.log(`Added ${edit.entry} to ${shown}. Now run: forge deploy && forge install --upgrade`);
}
