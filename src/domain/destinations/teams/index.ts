import { classifyResponse } from '../../delivery/outcome';
import type { DestinationModule, SettingField } from '../contract';
import { numberSetting, settingsSchemaOf } from '../settings-schema';
import { teamsAnswer } from './answers';
import { renderTeams } from './card';
import { teamsUrlProblems } from './url';

export { renderTeams, jiraLink, messageOf, TEAMS_LIMIT_BYTES, TEAMS_MAX_BODY_BYTES, TEAMS_DIGEST_LISTED } from './card';
export type { AdaptiveCard, TeamsMessage } from './card';
export { teamsUrlProblems, isTeamsWorkflowHost, TEAMS_WORKFLOW_HOST_SUFFIXES } from './url';
export { escapeTeamsMarkdown, cutText } from './text';
export { teamsAnswer } from './answers';

export const TEAMS_DIGEST_DEFAULT_THRESHOLD = 10;
export const TEAMS_DIGEST_MAX_EVENTS = 100;

export const TEAMS_FIELDS: readonly SettingField[] = [
  {
    key: 'digestThreshold',
    label: 'Summarise when more than this many events are due at once',
    type: 'number',
    required: false,
    help: 'When more events than this are waiting to be sent to this channel, they go as one summary message (counts per event type, the first few events) instead of one message each. 0 turns summaries off.',
    defaultValue: TEAMS_DIGEST_DEFAULT_THRESHOLD,
    min: 0,
    max: TEAMS_DIGEST_MAX_EVENTS,
  },
];

/**
 * Microsoft Teams through a Workflow ("When a Teams webhook request is received"): an Adaptive Card per
 * event, or one digest card for a burst, POSTed to the Workflow's URL, whose sig= token is the credential
 * (so the query is always masked, and no signing, headers or authorization are taken).
 *
 * Pacing: Teams throttles a webhook sent more than 4 requests a second (Teams "Create Incoming Webhooks");
 * each request here also starts a Workflow run that posts to Teams. One request at a time, a second
 * apart, stays 4 times under that and leaves bursts to the digest.
 */
export const teamsDestination: DestinationModule = {
  kind: 'teams',
  label: 'Microsoft Teams',
  summary: 'A readable card per event in a Teams channel, or one summary for a burst, through a Teams Workflow.',
  common: {
    url: 'entered',
    urlLabel: 'Teams Workflow URL',
    urlHelp: 'Teams channel > ••• > Workflows > "Send webhook alerts to a channel" > copy the URL it shows (it ends with &sig=...).',
    urlPlaceholder: 'https://....environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/.../triggers/manual/paths/invoke?api-version=1&...&sig=...',
    method: false,
    signing: false,
    authorization: false,
    headers: false,
  },
  commonNotUsed: 'Teams Workflows are authenticated by the sig= token in their URL and ignore it',
  fields: TEAMS_FIELDS,
  settingsSchema: settingsSchemaOf('Microsoft Teams', TEAMS_FIELDS),
  urlProblems: (url) => teamsUrlProblems(url),
  forcedMask: 'query',
  egressUrls: (url) => [url],
  digest: { thresholdSetting: 'digestThreshold', defaultThreshold: TEAMS_DIGEST_DEFAULT_THRESHOLD, maxEvents: TEAMS_DIGEST_MAX_EVENTS },
  pacing: { parallel: 1, spacingMs: 1_000 },
  contentType: 'application/json; charset=utf-8',
  requestUrl: (url) => url,
  render: (items, settings, context) => renderTeams(items, numberSetting(settings, 'digestThreshold', TEAMS_DIGEST_DEFAULT_THRESHOLD), context),
  auth: () => ({ type: 'none' }),
  classify: (response) => ({ whole: classifyResponse(response, teamsAnswer) }),
};
