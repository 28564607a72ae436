/**
 * The create/edit form's draft: what the admin typed, kept apart from the view it came from, and the
 * create/update inputs built from it. No React here, so other form sections can add their fields beside.
 */
import {
  batchEventsOf,
  emptySettingsDraft,
  settingsDraftFrom,
  settingsForCreate,
  settingsForUpdate,
  type SettingsDraft,
} from './DestinationSettings';
import { secretsAddInput, secretsLabelInput, type SecretsState } from './SecretsEditor';
import { templateForCreate, templateForUpdate } from './template-draft';
import { filtersDraftFrom, filtersForCreate, filtersForUpdate, type FiltersDraft } from './filters-draft';
import { retryDraftFrom, retryPolicyForCreate, retryPolicyForUpdate, type RetryDraft } from './retry-policy-draft';
import type {
  AuthorizationInput,
  CreateWebhookInput,
  DestinationView,
  HeaderUpdateInput,
  HttpMethod,
  MaskMode,
  SigningMode,
  UpdateWebhookInput,
  WebhookView,
} from './types';

export interface Option<T extends string> {
  label: string;
  value: T;
}

export type AuthMode = 'keep' | 'clear' | 'none' | 'basic' | 'bearer' | 'raw';

export interface HeaderRow {
  name: string;
  value: string;
  sensitive: boolean;
  /** A stored sensitive header: its value is write-only, so an empty field keeps it. */
  storedSensitive: boolean;
}

export interface Draft {
  kind: string;
  name: string;
  url: string;
  maskUrl: MaskMode;
  allEvents: boolean;
  events: string[];
  method: HttpMethod;
  timeoutSeconds: string;
  signingMode: SigningMode;
  signingHeader: string;
  authMode: AuthMode;
  authUsername: string;
  authPassword: string;
  authToken: string;
  authRaw: string;
  headers: HeaderRow[];
  enabled: boolean;
  /** Each kind's own settings, kept per kind so switching back and forth loses nothing typed. */
  settings: Record<string, SettingsDraft>;
  /** The payload template's text (custom webhooks); empty: the default body. */
  template: string;
  /** Projects, issue types and actors to include or exclude, as typed (filters-draft.ts). */
  filters: FiltersDraft;
  /** The retry policy as typed (retry-policy-draft.ts). */
  retryPolicy: RetryDraft;
}

export function draftFrom(webhook: WebhookView | undefined, firstKind: string): Draft {
  return {
    kind: webhook?.kind ?? firstKind,
    name: webhook?.name ?? '',
    // A masked URL cannot be edited in place: the field starts empty and an empty field keeps it.
    url: webhook && !webhook.urlMasked ? webhook.url : '',
    maskUrl: webhook ? maskOf(webhook) : 'none',
    allEvents: webhook ? webhook.events.includes('*') : true,
    events: webhook ? webhook.events.filter((e) => e !== '*') : [],
    method: webhook?.method ?? 'POST',
    timeoutSeconds: String(webhook?.timeoutSeconds ?? 15),
    signingMode: webhook?.signing.mode ?? 'standard',
    signingHeader: webhook?.signing.header ?? 'X-Webhook-Signature',
    authMode: webhook?.authorization ? 'keep' : 'none',
    authUsername: '',
    authPassword: '',
    authToken: '',
    authRaw: '',
    headers: (webhook?.headers ?? []).map((h) => ({
      name: h.name,
      value: h.sensitive ? '' : h.value,
      sensitive: h.sensitive,
      storedSensitive: h.sensitive,
    })),
    enabled: webhook?.enabled ?? true,
    settings: webhook ? { [webhook.kind]: settingsDraftFrom(webhook) } : {},
    template: webhook?.template ?? '',
    filters: filtersDraftFrom(webhook),
    retryPolicy: retryDraftFrom(webhook),
  };
}

/**
 * The form of a kind from webhooks.list `destinations`. A stored webhook of a kind this answer does not
 * list (an older backend) is edited with every common field, as a custom webhook was.
 */
export function destinationOf(destinations: readonly DestinationView[], kind: string): DestinationView {
  return (
    destinations.find((d) => d.kind === kind) ?? {
      kind,
      label: kind,
      summary: '',
      common: { url: 'entered', urlLabel: 'URL', urlHelp: '', urlPlaceholder: 'https://', method: true, signing: true, authorization: true, headers: true },
      fields: [],
      urlAlwaysMasked: false,
    }
  );
}

/** A kind whose URL is its credential (Slack's incoming webhooks): the app always masks it, so the form offers no mask choice. */
export function urlIsCredential(destination: DestinationView): boolean {
  return destination.common.url === 'entered' && destination.urlAlwaysMasked;
}

export function maskOf(webhook: WebhookView): MaskMode {
  return webhook.maskUrl ?? (webhook.urlMasked ? 'path-and-query' : 'none');
}

function authorizationInput(draft: Draft): AuthorizationInput | undefined {
  switch (draft.authMode) {
    case 'basic':
      return { type: 'basic', username: draft.authUsername, password: draft.authPassword };
    case 'bearer':
      return { type: 'bearer', token: draft.authToken };
    case 'raw':
      return { type: 'raw', value: draft.authRaw };
    default:
      return undefined;
  }
}

function headersInput(rows: HeaderRow[]): HeaderUpdateInput[] {
  return rows.map((row) =>
    row.storedSensitive && row.sensitive && row.value === ''
      ? { name: row.name, sensitive: true }
      : { name: row.name, value: row.value, sensitive: row.sensitive },
  );
}

function events(draft: Draft): string[] {
  return draft.allEvents ? ['*'] : draft.events;
}

function timeout(draft: Draft): number {
  const n = Number(draft.timeoutSeconds);
  return Number.isFinite(n) && draft.timeoutSeconds.trim() !== '' ? n : 15;
}

function signingInput(draft: Draft): NonNullable<CreateWebhookInput['signing']> {
  return draft.signingMode === 'base64-list' ? { mode: draft.signingMode, header: draft.signingHeader.trim() } : { mode: draft.signingMode };
}

/** Only the common fields the kind takes are sent (the API refuses the others by name). */
export function buildCreate(draft: Draft, secrets: SecretsState, destination: DestinationView): CreateWebhookInput {
  const { common } = destination;
  const input: CreateWebhookInput = {
    // The kinds are the API's to know: it answers an unknown one with a field error.
    kind: draft.kind as CreateWebhookInput['kind'],
    name: draft.name.trim(),
    events: events(draft),
    enabled: draft.enabled,
  };
  if (common.url === 'entered') {
    input.url = draft.url.trim();
    if (!urlIsCredential(destination)) input.maskUrl = draft.maskUrl;
  }
  if (common.method) {
    input.method = draft.method;
    input.timeoutSeconds = timeout(draft);
  }
  if (common.signing) {
    input.signing = signingInput(draft);
    if (secrets.added.length > 0) input.secrets = secretsAddInput(secrets);
  }
  if (common.authorization) {
    const auth = authorizationInput(draft);
    if (auth) input.authorization = auth;
  }
  if (common.headers && draft.headers.length > 0) {
    input.headers = draft.headers.map((row) => ({ name: row.name, value: row.value, sensitive: row.sensitive }));
  }
  const kindSettings = draft.settings[draft.kind] ?? emptySettingsDraft();
  const settings = settingsForCreate(destination, kindSettings);
  if (settings) input.settings = settings;
  const batchEvents = destination.batch ? batchEventsOf(kindSettings) : undefined;
  if (batchEvents !== undefined) input.batchEvents = batchEvents;
  Object.assign(input, templateForCreate(destination, draft.template));
  Object.assign(input, filtersForCreate(draft.filters));
  Object.assign(input, retryPolicyForCreate(draft.retryPolicy));
  return input;
}

export function buildUpdate(webhook: WebhookView, draft: Draft, secrets: SecretsState, destination: DestinationView): UpdateWebhookInput {
  const { common } = destination;
  const input: UpdateWebhookInput = {
    id: webhook.id,
    version: webhook.version,
    name: draft.name.trim(),
    events: events(draft),
    enabled: draft.enabled,
  };
  if (common.url === 'entered') {
    const url = draft.url.trim();
    if (url !== '' && url !== webhook.url) input.url = url;
    if (!urlIsCredential(destination)) input.maskUrl = draft.maskUrl;
  }
  if (common.method) {
    input.method = draft.method;
    input.timeoutSeconds = timeout(draft);
  }
  if (common.signing) {
    input.signing = signingInput(draft);
    if (secrets.added.length > 0) input.secretsAdd = secretsAddInput(secrets);
    const renames = secretsLabelInput(secrets, webhook.secrets);
    if (renames.length > 0) input.secretsLabel = renames;
    if (secrets.removed.length > 0) input.secretsRemove = secrets.removed;
  }
  if (common.authorization) {
    if (draft.authMode === 'clear') input.authorization = null;
    else {
      const auth = authorizationInput(draft);
      if (auth) input.authorization = auth;
      else if (draft.authMode === 'none' && webhook.authorization) input.authorization = null;
    }
  }
  if (common.headers) input.headers = headersInput(draft.headers);
  const kindSettings = draft.settings[draft.kind] ?? emptySettingsDraft();
  const settings = settingsForUpdate(destination, webhook, kindSettings);
  if (settings) input.settings = settings;
  if (destination.batch) {
    const batchEvents = batchEventsOf(kindSettings);
    if (batchEvents === undefined) {
      if (webhook.batchEvents !== undefined) input.batchEvents = null;
    } else if (batchEvents !== webhook.batchEvents) input.batchEvents = batchEvents;
  }
  Object.assign(input, templateForUpdate(webhook, destination, draft.template));
  Object.assign(input, filtersForUpdate(webhook, draft.filters));
  Object.assign(input, retryPolicyForUpdate(webhook, draft.retryPolicy));
  return input;
}
