import { classifyResponse } from '../../delivery/outcome';
import { slackMessage } from '../../formats/slack-message';
import { slackUrlProblems } from '../../webhook/slack-url';
import type { DestinationModule } from '../contract';
import { settingsSchemaOf } from '../settings-schema';
import { singleEvent } from '../single-event';
import { slackAnswer } from './answers';

/**
 * Slack incoming webhooks: a Block Kit message per event, to a URL that is itself the credential (so it
 * is always masked past /services/ and takes no signing, headers or authorization). Slack allows about
 * one message per second per webhook, so sends are one at a time, a second apart.
 */
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
  fields: [],
  settingsSchema: settingsSchemaOf('Slack', []),
  urlProblems: (url) => slackUrlProblems(url),
  forcedMask: 'path-and-query',
  egressUrls: (url) => [url],
  pacing: { parallel: 1, spacingMs: 1_000 },
  contentType: 'application/json',
  requestUrl: (url) => url,
  render: (items) => JSON.stringify(slackMessage(singleEvent(items, 'Slack'))),
  auth: () => ({ type: 'none' }),
  classify: (response) => ({ whole: classifyResponse(response, slackAnswer) }),
};

