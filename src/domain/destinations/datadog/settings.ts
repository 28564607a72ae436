import type { z } from 'zod';
import type { SettingField, Settings } from '../contract';
import { textSetting } from '../settings-schema';

/**
 * Datadog sites and their log intake hosts (docs.datadoghq.com, API reference "Send logs": POST
 * https://http-intake.logs.<site>/api/v2/logs). The label is the site's name and the address an admin
 * sees in the browser, so it can be matched without knowing Datadog's site names.
 */
export const DATADOG_SITES = [
  { value: 'datadoghq.com', label: 'US1 (app.datadoghq.com)' },
  { value: 'us3.datadoghq.com', label: 'US3 (us3.datadoghq.com)' },
  { value: 'us5.datadoghq.com', label: 'US5 (us5.datadoghq.com)' },
  { value: 'datadoghq.eu', label: 'EU1 (app.datadoghq.eu)' },
  { value: 'ap1.datadoghq.com', label: 'AP1 (ap1.datadoghq.com)' },
  { value: 'ap2.datadoghq.com', label: 'AP2 (ap2.datadoghq.com)' },
  { value: 'uk1.datadoghq.com', label: 'UK1 (uk1.datadoghq.com)' },
  { value: 'ddog-gov.com', label: 'US1-FED (app.ddog-gov.com)' },
  { value: 'us2.ddog-gov.com', label: 'US2-FED (us2.ddog-gov.com)' },
] as const;

export const DATADOG_DEFAULT_SITE = 'datadoghq.com';

/**
 * - service `jira`: Datadog's service is the application the logs are about; the Jira site is that.
 * - source `audit-webhooks-for-jira`: ddsource names the technology and, when it equals an integration
 *   name, Datadog applies that integration's pipeline. Datadog's own Jira and Atlassian integrations
 *   expect their payloads, not ours, so the default is this app's name: no pipeline is applied by
 *   accident, and a pipeline of the admin's own can filter on it.
 */
export const DATADOG_DEFAULT_SERVICE = 'jira';
export const DATADOG_DEFAULT_SOURCE = 'audit-webhooks-for-jira';

export const DATADOG_FIELDS: readonly SettingField[] = [
  {
    key: 'site',
    label: 'Datadog site',
    type: 'select',
    required: false,
    help: 'The site your Datadog organization is on: the address you sign in at (app.datadoghq.com is US1, app.datadoghq.eu is EU1).',
    options: DATADOG_SITES,
    defaultValue: DATADOG_DEFAULT_SITE,
  },
  {
    key: 'apiKey',
    label: 'API key',
    type: 'secret',
    required: true,
    help: 'Datadog > Organization settings > API keys: a key of 32 hexadecimal characters (an API key, not an application key). Stored encrypted and never shown again.',
  },
  {
    key: 'service',
    label: 'Service',
    type: 'text',
    required: false,
    help: 'The service every log is tagged with, to filter by in Log Explorer (service:jira).',
    defaultValue: DATADOG_DEFAULT_SERVICE,
  },
  {
    key: 'ddsource',
    label: 'Source',
    type: 'text',
    required: false,
    help: 'The log source (ddsource), to filter by and to attach a log pipeline to (source:audit-webhooks-for-jira).',
    defaultValue: DATADOG_DEFAULT_SOURCE,
  },
  {
    key: 'ddtags',
    label: 'Tags',
    type: 'text',
    required: false,
    help: 'Optional tags for every log, comma-separated key:value pairs, e.g. env:prod,team:security.',
    placeholder: 'env:prod,team:security',
  },
  {
    key: 'hostname',
    label: 'Host name',
    type: 'text',
    required: false,
    help: "The host every log is attributed to, e.g. acme.atlassian.net; leave empty for your Jira site's host name when the app knows it.",
  },
];

/** Datadog API keys are 32 hexadecimal characters. */
const API_KEY = /^[0-9a-f]{32}$/i;

/**
 * Datadog tags (docs "Getting started with tags"): start with a letter; letters, digits, underscores,
 * minuses, colons, periods and slashes; at most 200 characters. Checked lightly: Datadog converts
 * other characters itself, but a space or a stray comma is almost always a typo.
 */
const TAG = /^[A-Za-z][A-Za-z0-9_\-:./]*$/;
const TAG_MAX = 200;

/** The tags of a `ddtags` value, trimmed, empty ones left out. */
export const tagsOf = (ddtags: string): string[] =>
  ddtags
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag.length > 0);

const NAME = /^[A-Za-z0-9][A-Za-z0-9_\-:./]*$/;
const NAME_MAX = 100;

export const refineDatadog = (settings: Settings, ctx: z.RefinementCtx): void => {
  const apiKey = textSetting(settings, 'apiKey');
  if (apiKey !== undefined && !API_KEY.test(apiKey)) {
    ctx.addIssue({
      code: 'custom',
      path: ['apiKey'],
      message:
        'Enter API key as Datadog shows it under Organization settings > API keys: 32 characters, digits and letters a to f. An application key (40 characters) does not work here.',
    });
  }
  const ddtags = textSetting(settings, 'ddtags');
  if (ddtags !== undefined) {
    const bad = tagsOf(ddtags).filter((tag) => !TAG.test(tag) || tag.length > TAG_MAX);
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['ddtags'],
        message: `Fix Tags: ${bad.length === 1 ? 'this tag' : 'these tags'} (${bad.map((tag) => `"${tag.slice(0, 40)}"`).join(', ')}) must start with a letter and use only letters, digits and _ - : . / (no spaces), at most ${TAG_MAX} characters; separate tags with commas, e.g. env:prod,team:security.`,
      });
    }
  }
  for (const [key, label] of [['service', 'Service'], ['ddsource', 'Source'], ['hostname', 'Host name']] as const) {
    const value = textSetting(settings, key);
    if (value !== undefined && (!NAME.test(value) || value.length > NAME_MAX)) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `Enter ${label} as one word of letters, digits and _ - : . / (no spaces), at most ${NAME_MAX} characters.`,
      });
    }
  }
};
