import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EgressFilteringService } from '@forge/egress';
import { addEgressEntry, egressEntryFor } from '../../../scripts/egress-entry';
import { validateWebhookUrl } from '../../../src/domain/destinations/url-check';

const root = path.resolve(__dirname, '../../..');
const manifest = fs.readFileSync(path.join(root, 'manifest.yml'), 'utf8');
const ALLOWED_PORTS_NAMED = /port 443 \(leave the port out\)(?: or| and) 7990, 8060, 8080, 8085, 8089, 8090, 8443 and 8444/;

describe('npm run egress:add', () => {
  it.each([
    ['siem.example.com', 'siem.example.com'],
    ['  SIEM.Example.com ', 'siem.example.com'],
    ['*.splunkcloud.com', '*.splunkcloud.com'],
    ['https://siem.example.com', 'siem.example.com'],
    ['siem.example.com:443', 'siem.example.com'],
    ['splunk.example.com:8443', 'https://splunk.example.com:8443'],
    ['https://splunk.example.com:8080', 'https://splunk.example.com:8080'],
    ['bitbucket.example.com:7990', 'https://bitbucket.example.com:7990'],
  ])('turns %j into the allowlist entry %j', (raw, entry) => {
    expect(egressEntryFor(raw)).toBe(entry);
  });

  it.each(['', 'localhost', 'http://x.example.com', 'x.example.com/path', '*.example.com:8443', 'a..b.com', 'x.example.com:99999', 'x.example.com:84a3'])(
    'refuses %j with a message saying what to give',
    (raw) => {
      const edit = addEgressEntry(manifest, raw);
      expect(edit).toMatchObject({ status: 'invalid', message: expect.stringMatching(/Give a host name like/) });
    },
  );

  it.each(['splunk.example.com:8088', 'qradar.example.com:12469', 'a.b.com:80', 'a.b.com:22', 'x.example.com:65535'])(
    'refuses %j: a port Forge cannot reach, with the message the admin page gives',
    (raw) => {
      const edit = addEgressEntry(manifest, raw);
      if (edit.status !== 'invalid') throw new Error(`expected invalid, got ${edit.status}`);
      expect(edit.message).toMatch(ALLOWED_PORTS_NAMED);
      expect(edit.message).toMatch(/reverse proxy or load balancer on port 443 or 8443/);
      const check = validateWebhookUrl(`https://${raw}/hook`, 'custom');
      expect(check).toEqual({ ok: false, problems: [edit.message] });
    },
  );

  it('adds the entry once, keeps comments, and Forge then allows the URL', () => {
    const first = addEgressEntry(manifest, 'splunk.example.com:8443');
    if (first.status !== 'added') throw new Error(`expected added, got ${first.status}`);
    expect(first.manifest).toContain('# Every webhook host must be listed here.');
    expect(first.manifest).toContain('- address: https://splunk.example.com:8443');
    expect(addEgressEntry(first.manifest, 'splunk.example.com:8443').status).toBe('present');
    const allow = new EgressFilteringService(['hooks.slack.com', 'https://splunk.example.com:8443']);
    expect(allow.isValidUrl('https://splunk.example.com:8443/services/collector')).toBe(true);
    expect(allow.isValidUrl('https://splunk.example.com/services/collector')).toBe(false);
  });
});

describe('the egress:add command', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egress-add-'));
    fs.writeFileSync(path.join(dir, 'manifest.yml'), manifest);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (arg: string) =>
    spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'scripts', 'egress-add.ts'), arg], {
      cwd: root,
      env: { ...process.env, MANIFEST: path.join(dir, 'manifest.yml') },
      encoding: 'utf8',
    });

  it('refuses splunk.example.com:8088 with exit code 2, names the allowed ports and leaves manifest.yml alone', () => {
    const result = run('splunk.example.com:8088');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Forge cannot reach port 8088/);
    expect(result.stderr).toMatch(ALLOWED_PORTS_NAMED);
    expect(fs.readFileSync(path.join(dir, 'manifest.yml'), 'utf8')).toBe(manifest);
  });

  it('adds splunk.example.com:8443 and says to redeploy', () => {
    const result = run('splunk.example.com:8443');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Added https:\/\/splunk\.example\.com:8443 .*forge deploy && forge install --upgrade/);
    expect(fs.readFileSync(path.join(dir, 'manifest.yml'), 'utf8')).toContain('- address: https://splunk.example.com:8443');
  });
});
