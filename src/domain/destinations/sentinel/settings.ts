import type { z } from 'zod';
import type { ClientCredentials, SettingField, Settings } from '../contract';
import { textSetting } from '../settings-schema';
import { DEFAULT_SENTINEL_STREAM } from './stream';

export const SENTINEL_FIELDS: readonly SettingField[] = [
  {
    key: 'tenantId',
    label: 'Directory (tenant) ID',
    type: 'text',
    required: true,
    help: 'Microsoft Entra ID > App registrations > your app > Overview: Directory (tenant) ID.',
    placeholder: '00000000-0000-0000-0000-000000000000',
  },
  {
    key: 'clientId',
    label: 'Application (client) ID',
    type: 'text',
    required: true,
    help: 'The same Overview page: Application (client) ID.',
    placeholder: '00000000-0000-0000-0000-000000000000',
  },
  {
    key: 'clientSecret',
    label: 'Client secret',
    type: 'secret',
    required: true,
    help: 'Certificates & secrets > New client secret: copy its Value (not the Secret ID). Stored encrypted and never shown again.',
  },
  {
    key: 'dcrImmutableId',
    label: 'DCR immutable ID',
    type: 'text',
    required: true,
    help: 'Monitor > Data collection rules > your rule > JSON view: immutableId (dcr- and 32 hex digits).',
    placeholder: 'dcr-00000000000000000000000000000000',
  },
  {
    key: 'streamName',
    label: 'Stream name',
    type: 'text',
    required: false,
    defaultValue: DEFAULT_SENTINEL_STREAM,
    help: "The DCR's stream declaration for these events, e.g. Custom-JiraAudit_CL.",
    placeholder: DEFAULT_SENTINEL_STREAM,
  },
];

const labelOf = (key: string): string => SENTINEL_FIELDS.find((field) => field.key === key)?.label ?? key;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DCR_IMMUTABLE_ID = /^dcr-[0-9a-f]{32}$/i;
const STREAM_NAME = /^Custom-[A-Za-z][A-Za-z0-9_]*$/;
const STREAM_NAME_MAX = 100;

function guidProblem(key: string, value: string): string | undefined {
  if (GUID.test(value)) return undefined;
  const extra = key === 'tenantId' && value.includes('.') ? ' (the GUID, not a domain name such as contoso.onmicrosoft.com)' : '';
  return `Enter ${labelOf(key)} as the GUID shown on the app registration's Overview page${extra}, e.g. 00000000-0000-0000-0000-000000000000.`;
}

export function clientSecretProblem(value: string): string | undefined {
  if (GUID.test(value)) return `${labelOf('clientSecret')} looks like the secret's ID: paste its Value, shown once when the secret is created.`;
  if (/\s/.test(value)) return `Remove the spaces from ${labelOf('clientSecret')}.`;
  return undefined;
}

export function dcrImmutableIdProblem(value: string): string | undefined {
  if (DCR_IMMUTABLE_ID.test(value)) return undefined;
  if (/\/subscriptions\//i.test(value) || /datacollectionrules\//i.test(value)) {
    return `That is the rule's resource ID: enter its ${labelOf('dcrImmutableId')} instead (JSON view, immutableId: dcr- and 32 hex digits).`;
  }
  return `Enter ${labelOf('dcrImmutableId')} as dcr- followed by 32 hex digits (the rule's JSON view, immutableId).`;
}

export function streamNameProblem(value: string): string | undefined {
  const label = labelOf('streamName');
  if (!value.startsWith('Custom-')) {
    return `Start ${label} with Custom-: the stream the DCR declares for these records, e.g. ${DEFAULT_SENTINEL_STREAM} (Microsoft- streams take other columns).`;
  }
  if (!STREAM_NAME.test(value)) return `Use only letters, digits and underscores after Custom- in ${label}, starting with a letter, e.g. ${DEFAULT_SENTINEL_STREAM}.`;
  if (value.length > STREAM_NAME_MAX) return `Shorten ${label} to at most ${STREAM_NAME_MAX} characters.`;
  return undefined;
}

export const refineSentinel = (settings: Settings, ctx: z.RefinementCtx): void => {
  const check = (key: string, problem: (value: string) => string | undefined): void => {
    const value = textSetting(settings, key);
    const message = value === undefined ? undefined : problem(value);
    if (message !== undefined) ctx.addIssue({ code: 'custom', path: [key], message });
  };
  check('tenantId', (value) => guidProblem('tenantId', value));
  check('clientId', (value) => guidProblem('clientId', value));
  check('clientSecret', clientSecretProblem);
  check('dcrImmutableId', dcrImmutableIdProblem);
  check('streamName', streamNameProblem);
};

/** The Azure public cloud's token endpoint and Azure Monitor's scope (the resource is https://monitor.azure.com/, hence //). */
export const ENTRA_TOKEN_HOST = 'login.microsoftonline.com';
export const MONITOR_SCOPE = 'https://monitor.azure.com//.default';

export const tokenUrlOf = (tenantId: string): string => `https://${ENTRA_TOKEN_HOST}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;

const required = (settings: Settings, key: string): string => {
  const value = textSetting(settings, key);
  if (value === undefined) throw new Error(`Microsoft Sentinel settings carry no ${key}`);
  return value;
};

export const sentinelClientOf = (settings: Settings): ClientCredentials => ({
  tokenUrl: tokenUrlOf(tenantIdOf(settings)),
  clientId: required(settings, 'clientId'),
  clientSecret: required(settings, 'clientSecret'),
  scope: MONITOR_SCOPE,
});

export const streamNameOf = (settings: Settings): string => textSetting(settings, 'streamName') ?? DEFAULT_SENTINEL_STREAM;
export const tenantIdOf = (settings: Settings): string => required(settings, 'tenantId');
export const dcrImmutableIdOf = (settings: Settings): string => required(settings, 'dcrImmutableId');
