import fs from 'node:fs';
import path from 'node:path';
import { EgressFilteringService } from '@forge/egress';
import { addEgressEntry, egressEntryFor } from '../../../scripts/egress-entry';

const manifest = fs.readFileSync(path.resolve(__dirname, '../../../manifest.yml'), 'utf8');

describe('npm run egress:add', () => {
  it.each([
    ['siem.example.com', 'siem.example.com'],
    ['  SIEM.Example.com ', 'siem.example.com'],
    ['*.splunkcloud.com', '*.splunkcloud.com'],
    ['https://siem.example.com', 'siem.example.com'],
    ['splunk.example.com:8088', 'https://splunk.example.com:8088'],
  ])('turns %j into the allowlist entry %j', (raw, entry) => {
    expect(egressEntryFor(raw)).toBe(entry);
  });

  it.each(['', 'localhost', 'http://x.example.com', 'x.example.com/path', 'a.b.com:80', '*.example.com:8088', 'a..b.com', 'x.example.com:99999'])(
    'refuses %j with a message saying what to give',
    (raw) => {
      const edit = addEgressEntry(manifest, raw);
      expect(edit).toMatchObject({ status: 'invalid', message: expect.stringMatching(/Give a host name like/) });
    },
  );

  it('adds the entry once, keeps comments, and Forge then allows the URL', () => {
    const first = addEgressEntry(manifest, 'splunk.example.com:8088');
    if (first.status !== 'added') throw new Error(`expected added, got ${first.status}`);
    expect(first.manifest).toContain('# Every webhook host must be listed here.');
    expect(first.manifest).toContain('- address: https://splunk.example.com:8088');
    expect(addEgressEntry(first.manifest, 'splunk.example.com:8088').status).toBe('present');
    const allow = new EgressFilteringService(['hooks.slack.com', 'https://splunk.example.com:8088']);
    expect(allow.isValidUrl('https://splunk.example.com:8088/services/collector')).toBe(true);
    expect(allow.isValidUrl('https://splunk.example.com/services/collector')).toBe(false);
  });
});
