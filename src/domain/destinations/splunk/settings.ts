import type { z } from 'zod';
import type { SettingField, Settings } from '../contract';
import { textSetting } from '../settings-schema';

/**
 * The defaults, chosen so a Splunk admin finds the events without configuring anything:
 * - source `jira:audit`: Splunk's source says where data came from; one fixed value lets a search
 *   (`source="jira:audit"`) find every event of this app whatever the index or host.
 * - sourcetype `_json`: Splunk's pretrained JSON source type, present on every Splunk Enterprise and
 *   Splunk Cloud stack, so the fields of the event object are extracted at search time without an
 *   add-on. An admin who maps the events to the CIM can enter a source type of their own.
 */
export const SPLUNK_DEFAULT_SOURCE = 'jira:audit';
export const SPLUNK_DEFAULT_SOURCETYPE = '_json';

export const SPLUNK_FIELDS: readonly SettingField[] = [
  {
    key: 'token',
    label: 'HEC token',
    type: 'secret',
    required: true,
    help: 'Splunk Web > Settings > Data inputs > HTTP Event Collector: the Token Value of your token (a GUID). Stored encrypted and never shown again.',
    placeholder: '12345678-90ab-cdef-1234-567890abcdef',
  },
  {
    key: 'index',
    label: 'Index',
    type: 'text',
    required: false,
    help: "Leave empty for the token's default index; otherwise one of the token's allowed indexes (Settings > Data inputs > HTTP Event Collector > Edit).",
    placeholder: 'jira_audit',
  },
  {
    key: 'source',
    label: 'Source',
    type: 'text',
    required: false,
    help: 'The Splunk source of every event, to search by (source="jira:audit").',
    defaultValue: SPLUNK_DEFAULT_SOURCE,
  },
  {
    key: 'sourcetype',
    label: 'Source type',
    type: 'text',
    required: false,
    help: "Splunk's _json extracts the event fields at search time; enter your own source type if an add-on or CIM mapping expects one.",
    defaultValue: SPLUNK_DEFAULT_SOURCETYPE,
  },
  {
    key: 'host',
    label: 'Host',
    type: 'text',
    required: false,
    help: "The Splunk host of every event, e.g. acme.atlassian.net; leave empty for your Jira site's host name when the app knows it, else Splunk's default.",
  },
];

/** Splunk generates HEC tokens as GUIDs ("Format events for HTTP Event Collector", help.splunk.com). */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Index names: lowercase letters, digits, underscores and hyphens, not starting with a hyphen. */
const INDEX_NAME = /^[a-z0-9_][a-z0-9_-]*$/;

/** Source, source type and host: text without spaces at either end (the schema trims), at most 255 characters. */
const METADATA_MAX = 255;

export const refineSplunk = (settings: Settings, ctx: z.RefinementCtx): void => {
  const token = textSetting(settings, 'token');
  if (token !== undefined && !GUID.test(token)) {
    const message = /^splunk\s/i.test(token)
      ? 'Enter HEC token without the word "Splunk" in front: only the Token Value, a GUID such as 12345678-90ab-cdef-1234-567890abcdef (the app adds "Splunk " itself).'
      : 'Enter HEC token as Splunk shows it: the Token Value, a GUID of 32 hexadecimal digits in groups of 8-4-4-4-12, such as 12345678-90ab-cdef-1234-567890abcdef.';
    ctx.addIssue({ code: 'custom', path: ['token'], message });
  }
  const index = textSetting(settings, 'index');
  if (index !== undefined && !INDEX_NAME.test(index)) {
    ctx.addIssue({
      code: 'custom',
      path: ['index'],
      message: 'Enter Index as a Splunk index name: lowercase letters, digits, underscores and hyphens, e.g. jira_audit; leave it empty for the token\'s default index.',
    });
  }
  for (const [key, label] of [['index', 'Index'], ['source', 'Source'], ['sourcetype', 'Source type'], ['host', 'Host']] as const) {
    const value = textSetting(settings, key);
    if (value !== undefined && value.length > METADATA_MAX) {
      ctx.addIssue({ code: 'custom', path: [key], message: `Shorten ${label} to at most ${METADATA_MAX} characters.` });
    }
  }
};
