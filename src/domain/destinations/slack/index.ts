import { classifyResponse } from '../../delivery/outcome';
import { slackDigest } from '../../formats/slack-digest';
import { slackMessage } from '../../formats/slack-message';
import { slackUrlProblems } from '../../webhook/slack-url';
import type { DestinationModule, SettingField } from '../contract';
import { settingsSchemaOf } from '../settings-schema';
import { singleEvent } from '../single-event';
import { slackAnswer } from './answers';

/**
 * Slack incoming webhooks: a Block Kit message per event, to a URL that is itself the credential (so it
 * is always masked past /services/ and takes no signing, headers or authorization). Slack allows about
 * one message per second per webhook, so sends are one at a time, a second apart, and a burst (more than
 * the webhook's digest threshold due at once) goes as digest messages instead of a flood of posts.
 */
/** More than this many events due at once for one webhook go as digests (Slack posts one message a second). */
export const DIGEST_THRESHOLD_DEFAULT = 10;

const SLACK_FIELDS: readonly SettingField[] = [
  {
    key: 'digestThreshold',
    label: 'Summarise when more than this many events are due at once',
    type: 'number',
    required: false,
    help: 'When more than this many events are due at once (a bulk edit), post one summary per 100 events instead of one message each; 0 posts every event.',
    defaultValue: DIGEST_THRESHOLD_DEFAULT,
    min: 0,
    max: 100,
  },
];

export const slackDestination: DestinationModule = {
  kind: 'slack',
  label: 'Slack',
  summary: 'A readable message per event in a Slack channel, through an incoming webhook.',
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
  commonNotUsed: 'Slack incoming webhooks are authenticated by the token in their URL and ignore it',
  fields: SLACK_FIELDS,
  settingsSchema: settingsSchemaOf('Slack', SLACK_FIELDS),
  urlProblems: (url) => slackUrlProblems(url),
  forcedMask: 'path-and-query',
  egressUrls: (url) => [url],
  digest: { thresholdSetting: 'digestThreshold', defaultThreshold: DIGEST_THRESHOLD_DEFAULT, maxEvents: 100 },
  pacing: { parallel: 1, spacingMs: 1_000 },
  contentType: 'application/json',
  requestUrl: (url) => url,
  // One event: its message. Several (a burst over the digest threshold): one digest message for them all.
  render: (items, _settings, context) =>
    JSON.stringify(items.length > 1 ? slackDigest(items.map((item) => item.event), context) : slackMessage(singleEvent(items, 'Slack'), context)),
  auth: () => ({ type: 'none' }),
  classify: (response) => ({ whole: classifyResponse(response, slackAnswer) }),
};

