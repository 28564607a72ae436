/**
 * The destination kinds the STAND-IN backend lists (webhooks.list `destinations`): a fixed copy of the
 * shape of custom and Slack, plus one batching kind with every field type, so UI states do not depend on
 * src/domain. The real registry is exercised by admin-destinations.e2e.test.ts.
 */
import type { DestinationView } from '../../../src/contract';

const OAUTH_FIELDS: DestinationView['fields'] = [
  { key: 'oauthTokenUrl', label: 'OAuth token URL', type: 'text', required: false, help: "The authorization server's token endpoint (https).", placeholder: 'https://auth.example.com/oauth2/token' },
  { key: 'oauthClientId', label: 'OAuth client ID', type: 'text', required: false, help: 'The client ID the authorization server gave this app.' },
  { key: 'oauthClientSecret', label: 'OAuth client secret', type: 'secret', required: false, help: 'The client secret; stored encrypted and never shown again.' },
  { key: 'oauthScope', label: 'OAuth scope', type: 'text', required: false, help: 'Space-separated scopes to ask for, if the server needs them.' },
];

export const STANDIN_DESTINATIONS: DestinationView[] = [
  {
    kind: 'custom',
    label: 'Custom HTTPS webhook',
    summary: 'A signed JSON envelope per event to any HTTPS receiver.',
    urlAlwaysMasked: false,
    common: {
      url: 'entered',
      urlLabel: 'URL',
      urlHelp: "The HTTPS address of your receiver. Its host must be on the app's egress allowlist.",
      urlPlaceholder: 'https://siem.example.com/hooks/jira',
      method: true,
      signing: true,
      authorization: true,
      headers: true,
    },
    fields: OAUTH_FIELDS,
  },
  {
    kind: 'slack',
    label: 'Slack',
    summary: 'A readable message per event in a Slack channel, through an incoming webhook.',
    urlAlwaysMasked: true,
    common: {
      url: 'entered',
      urlLabel: 'Slack webhook URL',
      urlHelp: 'Slack app > Incoming Webhooks > Copy: https://hooks.slack.com/services/...',
      urlPlaceholder: 'https://hooks.slack.com/services/T.../B.../...',
      method: false,
      signing: false,
      authorization: false,
      headers: false,
    },
    fields: [],
  },
  {
    kind: 'splunk',
    label: 'Splunk HTTP Event Collector',
    summary: 'Events in batches to a Splunk HEC endpoint, authenticated with a HEC token.',
    urlAlwaysMasked: false,
    common: {
      url: 'entered',
      urlLabel: 'HEC URL',
      urlHelp: 'https://<host>:8088/services/collector/event',
      urlPlaceholder: 'https://splunk.example.com:8088/services/collector/event',
      method: false,
      signing: false,
      authorization: false,
      headers: false,
    },
    fields: [
      { key: 'token', label: 'HEC token', type: 'secret', required: true, help: 'Settings > Data inputs > HTTP Event Collector: the token value.' },
      { key: 'index', label: 'Index', type: 'text', required: false, help: 'The index events go to; empty for the token\u2019s default index.', placeholder: 'jira_audit' },
      { key: 'sourcetype', label: 'Source type', type: 'select', required: false, help: 'How Splunk parses the events.', options: [{ value: '_json', label: 'JSON (_json)' }, { value: 'jira:audit', label: 'jira:audit' }], defaultValue: '_json' },
      { key: 'retryAfterSeconds', label: 'Back-off (seconds)', type: 'number', required: false, help: 'How long to wait after Splunk answers 503.', min: 1, max: 900, defaultValue: 30 },
    ],
    batch: { defaultEvents: 50, maxEvents: 100, maxBytes: 1_000_000 },
  },
];
