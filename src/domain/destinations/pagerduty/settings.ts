import type { z } from 'zod';
import type { SettingField, Settings } from '../contract';
import { textSetting } from '../settings-schema';

/**
 * PagerDuty's service regions and their Events API v2 endpoints. US: the Events API v2 reference
 * ("Send an Alert Event": POST https://events.pagerduty.com/v2/enqueue). EU: PagerDuty's "Safelist IPs"
 * article names events.eu.pagerduty.com as the Events API host of the EU service region. The label is
 * the address an admin signs in at, so the region can be matched without knowing PagerDuty's names.
 */
export const PAGERDUTY_REGIONS = [
  { value: 'us', label: 'US (app.pagerduty.com)', host: 'events.pagerduty.com' },
  { value: 'eu', label: 'EU (app.eu.pagerduty.com)', host: 'events.eu.pagerduty.com' },
] as const;

export const PAGERDUTY_DEFAULT_REGION = 'us';

/** PD-CEF severities (Events API v2, payload.severity), most severe first. */
export const PAGERDUTY_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type PagerDutySeverity = (typeof PAGERDUTY_SEVERITIES)[number];
export const PAGERDUTY_DEFAULT_SEVERITY: PagerDutySeverity = 'warning';

const isSeverity = (value: string): value is PagerDutySeverity => (PAGERDUTY_SEVERITIES as readonly string[]).includes(value);

export const PAGERDUTY_FIELDS: readonly SettingField[] = [
  {
    key: 'region',
    label: 'PagerDuty region',
    type: 'select',
    required: false,
    help: 'The service region of your PagerDuty account: the address you sign in at (app.pagerduty.com is US, app.eu.pagerduty.com is EU).',
    options: PAGERDUTY_REGIONS.map(({ value, label }) => ({ value, label })),
    defaultValue: PAGERDUTY_DEFAULT_REGION,
  },
  {
    key: 'routingKey',
    label: 'Integration key',
    type: 'secret',
    required: true,
    help: 'PagerDuty > Services > your service > Integrations > Events API V2: the Integration Key (routing key), 32 letters and digits. Stored encrypted and never shown again.',
  },
  {
    key: 'severity',
    label: 'Default severity',
    type: 'select',
    required: false,
    help: 'The severity (critical, error, warning, info) of alerts for event types not listed under Severity per event type.',
    options: PAGERDUTY_SEVERITIES.map((value) => ({ value, label: value[0]?.toUpperCase() + value.slice(1) })),
    defaultValue: PAGERDUTY_DEFAULT_SEVERITY,
  },
  {
    key: 'severityByType',
    label: 'Severity per event type',
    type: 'text',
    required: false,
    help: 'Optional: event.type=severity pairs separated by commas, e.g. audit.permissions=critical, audit.group_management=error. Severities: critical, error, warning, info.',
    placeholder: 'audit.permissions=critical, audit.group_management=error',
  },
  {
    key: 'source',
    label: 'Source',
    type: 'text',
    required: false,
    help: "The alert's source (the affected system), e.g. acme.atlassian.net; leave empty for your Jira site's host name when the app knows it, else jira.",
  },
  {
    key: 'component',
    label: 'Component',
    type: 'text',
    required: false,
    help: 'Optional component of every alert, e.g. jira-admin, to filter or route on in PagerDuty.',
  },
  {
    key: 'group',
    label: 'Group',
    type: 'text',
    required: false,
    help: 'Optional group of every alert, e.g. atlassian-cloud, to filter or route on in PagerDuty.',
  },
];

/**
 * Integration keys are 32 characters (Events API v2 reference, routing_key), letters and digits only:
 * PagerDuty refuses others with "'routing_key' cannot contain non-alphanumeric characters". Ruleset keys
 * (starting with R) have the same shape.
 */
const ROUTING_KEY = /^[A-Za-z0-9]{32}$/;

/** Our event types: lowercase words of letters, digits and underscores, joined by dots (audit.group_management). */
const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** One `type=severity` entry as written, for messages: cut so a pasted paragraph does not flood the form. */
const quoted = (entry: string): string => `"${entry.length > 60 ? `${entry.slice(0, 60)}…` : entry}"`;

export type SeverityMap = ReadonlyMap<string, PagerDutySeverity>;

/**
 * Reads "audit.permissions=critical, audit.group_management=error" (commas or semicolons between pairs,
 * spaces anywhere around them, severities in any case). Answers the map, or one problem per bad entry.
 */
export function parseSeverityByType(text: string): { map: SeverityMap; problems: string[] } {
  const map = new Map<string, PagerDutySeverity>();
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(/[,;]/)) {
    const entry = raw.trim();
    if (entry === '') continue;
    const equals = entry.indexOf('=');
    if (equals < 0) {
      problems.push(`${quoted(entry)} has no "=": write it as event.type=severity`);
      continue;
    }
    const type = entry.slice(0, equals).trim();
    const severity = entry.slice(equals + 1).trim().toLowerCase();
    if (!EVENT_TYPE.test(type)) {
      problems.push(`${quoted(entry)}: ${quoted(type)} is not an event type (lowercase words joined by dots, e.g. audit.permissions)`);
      continue;
    }
    if (seen.has(type)) {
      problems.push(`${quoted(type)} is listed twice: keep one severity for it`);
      continue;
    }
    seen.add(type);
    if (!isSeverity(severity)) {
      problems.push(`${quoted(entry)}: the severity must be ${PAGERDUTY_SEVERITIES.join(', ')}`);
      continue;
    }
    map.set(type, severity);
  }
  return { map, problems };
}

/** The severity of an event type: its entry in Severity per event type, else Default severity. Never throws. */
export function severityOf(settings: Settings, type: string): PagerDutySeverity {
  const byType = textSetting(settings, 'severityByType');
  const listed = byType === undefined ? undefined : parseSeverityByType(byType).map.get(type);
  if (listed !== undefined) return listed;
  const chosen = textSetting(settings, 'severity');
  return chosen !== undefined && isSeverity(chosen) ? chosen : PAGERDUTY_DEFAULT_SEVERITY;
}

/** PD-CEF source, component and group are free text; kept short and on one line (the generic rules refuse line breaks). */
const NAME_MAX = 255;

export const refinePagerDuty = (settings: Settings, ctx: z.RefinementCtx): void => {
  const routingKey = textSetting(settings, 'routingKey');
  if (routingKey !== undefined && !ROUTING_KEY.test(routingKey)) {
    const length = routingKey.length;
    ctx.addIssue({
      code: 'custom',
      path: ['routingKey'],
      message: `Enter Integration key as PagerDuty shows it on the service's Events API V2 integration (Services > your service > Integrations): 32 letters and digits; this value has ${length} character${length === 1 ? '' : 's'}${/[^A-Za-z0-9]/.test(routingKey) ? ' and other characters than letters and digits' : ''}. A REST API key or a webhook URL does not work here.`,
    });
  }
  const byType = textSetting(settings, 'severityByType');
  if (byType !== undefined) {
    const { problems } = parseSeverityByType(byType);
    if (problems.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['severityByType'],
        message: `Fix Severity per event type: ${problems.join('; ')}. Separate pairs with commas, e.g. audit.permissions=critical, audit.group_management=error.`,
      });
    }
  }
  for (const [key, label] of [['source', 'Source'], ['component', 'Component'], ['group', 'Group']] as const) {
    const value = textSetting(settings, key);
    if (value !== undefined && value.length > NAME_MAX) {
      ctx.addIssue({ code: 'custom', path: [key], message: `Shorten ${label} to at most ${NAME_MAX} characters.` });
    }
  }
};
