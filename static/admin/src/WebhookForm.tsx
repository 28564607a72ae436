import { useEffect, useMemo, useState, type ReactNode } from 'react';
import Button from '@atlaskit/button/new';
import { Checkbox } from '@atlaskit/checkbox';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle, ModalTransition } from '@atlaskit/modal-dialog';
import SectionMessage from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import Toggle from '@atlaskit/toggle';
import { token } from '@atlaskit/tokens';
import { api } from './api';
import {
  DestinationSettings,
  batchEventsOf,
  batchEventsProblem,
  emptySettingsDraft,
  hasOwnSettings,
  settingsDraftFrom,
  settingsForCreate,
  settingsForUpdate,
  type SettingsDraft,
} from './DestinationSettings';
import { DiscardChanges, useEscapeClaimedByDropdown } from './DiscardChanges';
import { SecretsEditor, emptySecretsState, secretsAddInput, secretsChanged, secretsLabelInput, type SecretsState } from './SecretsEditor';
import { fieldLabel } from '../../../src/contract/zod-fields';
import { FieldError, FormField, Heading, Inline, ProblemText, Stack, Subtle } from './ui';
import type {
  ApiError,
  AuthorizationInput,
  CreateWebhookInput,
  DestinationView,
  EventTypeInfo,
  HeaderUpdateInput,
  HttpMethod,
  MaskMode,
  SigningMode,
  UpdateWebhookInput,
  WebhookView,
} from './types';

interface Option<T extends string> {
  label: string;
  value: T;
}

interface KindOption extends Option<string> {
  summary: string;
}
const METHOD_OPTIONS: Option<HttpMethod>[] = [
  { label: 'POST', value: 'POST' },
  { label: 'PUT', value: 'PUT' },
];
const MASK_OPTIONS: Option<MaskMode>[] = [
  { label: 'Show the whole URL', value: 'none' },
  { label: 'Mask the query string', value: 'query' },
  { label: 'Mask the path and query string', value: 'path-and-query' },
];
const SIGNING_OPTIONS: Option<SigningMode>[] = [
  { label: 'Standard Webhooks', value: 'standard' },
  { label: 'Base64 signature list (one header)', value: 'base64-list' },
  { label: 'Hub signature (X-Hub-Signature-256)', value: 'hub' },
];
const SIGNING_HELP: Record<SigningMode, string> = {
  standard:
    'Sends webhook-id, webhook-timestamp and webhook-signature ("v1,<base64 HMAC-SHA256>", one per secret). Verify with any Standard Webhooks library; the timestamp stops replays.',
  'base64-list':
    'Sends one header with a comma-separated list of base64 HMAC-SHA256 signatures of the raw body, one per secret. For receivers built for that format.',
  hub: 'Sends X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>, the format of GitHub and of Jira\u2019s own webhooks (X-Hub-Signature carries the same value). One sha256= entry per active secret, comma-joined.',
};
type AuthMode = 'keep' | 'clear' | 'none' | 'basic' | 'bearer' | 'raw';
const AUTH_OPTIONS: Option<Exclude<AuthMode, 'keep' | 'clear'>>[] = [
  { label: 'None', value: 'none' },
  { label: 'Basic (username and password)', value: 'basic' },
  { label: 'Bearer token', value: 'bearer' },
  { label: 'Raw header value', value: 'raw' },
];

interface HeaderRow {
  name: string;
  value: string;
  sensitive: boolean;
  /** A stored sensitive header: its value is write-only, so an empty field keeps it. */
  storedSensitive: boolean;
}

interface Draft {
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
}

function draftFrom(webhook: WebhookView | undefined, firstKind: string): Draft {
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
  };
}

/**
 * The form of a kind from webhooks.list `destinations`. A stored webhook of a kind this answer does not
 * list (an older backend) is edited with every common field, as a custom webhook was.
 */
function destinationOf(destinations: readonly DestinationView[], kind: string): DestinationView {
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
function urlIsCredential(destination: DestinationView): boolean {
  return destination.common.url === 'entered' && destination.urlAlwaysMasked;
}

/** The common fields the form shows for a kind, so errors for any other path go to the summary. */
function shownFieldPrefixes(destination: DestinationView): string[] {
  const { common } = destination;
  return [
    'kind',
    'name',
    'events',
    'enabled',
    ...(common.url === 'entered' ? ['url'] : []),
    ...(common.url === 'entered' && !urlIsCredential(destination) ? ['maskUrl'] : []),
    ...(common.method ? ['method', 'timeoutSeconds'] : []),
    ...(common.signing ? ['signing', 'secrets', 'secretsAdd', 'secretsRemove'] : []),
    ...(common.authorization ? ['authorization'] : []),
    ...(common.headers ? ['headers'] : []),
    ...(destination.batch ? ['batchEvents'] : []),
  ];
}

/** Saved credentials go only to the origin they were given for: a new host or port needs them again. */
const CREDENTIALS_STAY_NOTE = (webhook: WebhookView): string =>
  webhook.authorization || webhook.headers.some((h) => h.sensitive)
    ? ' A new host or port needs the Authorization and sensitive header values entered again: saved ones are only sent to the host they were given for.'
    : '';

function maskOf(webhook: WebhookView): MaskMode {
  return webhook.maskUrl ?? (webhook.urlMasked ? 'path-and-query' : 'none');
}

export function WebhookForm(props: {
  webhook?: WebhookView;
  eventTypes: EventTypeInfo[];
  destinations: DestinationView[];
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const firstKind = props.destinations[0]?.kind ?? 'custom';
  const [webhook, setWebhook] = useState<WebhookView | undefined>(props.webhook);
  const [draft, setDraft] = useState<Draft>(() => draftFrom(props.webhook, firstKind));
  // What the form showed when it opened (or was reloaded): any difference is a change worth asking about.
  const [pristine, setPristine] = useState<Draft>(draft);
  const [secrets, setSecrets] = useState<SecretsState>(emptySecretsState);
  const [askingDiscard, setAskingDiscard] = useState(false);
  const escapeClaimedByDropdown = useEscapeClaimedByDropdown();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const editing = webhook !== undefined;
  const destination = destinationOf(props.destinations, draft.kind);
  const { common } = destination;
  const urlEntered = common.url === 'entered';
  const maskChoice = urlEntered && !urlIsCredential(destination);
  const kindSettings = draft.settings[draft.kind] ?? emptySettingsDraft();
  const fields = error?.fields ?? {};

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setKindSettings = (next: SettingsDraft) => setDraft((d) => ({ ...d, settings: { ...d.settings, [d.kind]: next } }));
  const kindOptions: KindOption[] = props.destinations.map((d) => ({ label: d.label, value: d.kind, summary: d.summary }));

  const eventGroups = useMemo(() => groupEvents(props.eventTypes), [props.eventTypes]);
  const eventOptions = eventGroups.flatMap((g) => g.options);

  const reloadAfterConflict = async () => {
    if (!webhook) return;
    const result = await api.getWebhook(webhook.id);
    if (result.ok) {
      setWebhook(result.data.webhook);
      const reloaded = draftFrom(result.data.webhook, firstKind);
      setDraft(reloaded);
      setPristine(reloaded);
      setSecrets(emptySecretsState());
      setError(null);
    } else {
      setError(result.error);
    }
  };

  const dirty = JSON.stringify(draft) !== JSON.stringify(pristine) || secretsChanged(secrets, webhook?.secrets ?? []);

  /** Escape, Cancel or a click outside: a form with changes asks first; Escape in an open dropdown only closes it. */
  const requestClose = () => {
    if (escapeClaimedByDropdown()) return;
    if (dirty) setAskingDiscard(true);
    else props.onClose();
  };

  // Leaving the page (reload, another site) with changes: the browser asks too.
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  const [focusRequest, setFocusRequest] = useState(0);
  const showError = (problem: ApiError) => {
    setError(problem);
    setFocusRequest((n) => n + 1);
  };
  // After the errors render: focus the first field with one (it is described by its message), or the summary.
  useEffect(() => {
    if (focusRequest === 0) return;
    const firstError = document.querySelector<HTMLElement>('#webhook-form [data-field-error]');
    const field = firstError ? document.getElementById(firstError.dataset.fieldError ?? '') : null;
    const target = field ?? document.querySelector<HTMLElement>('[data-form-message]');
    target?.scrollIntoView({ block: 'center' });
    target?.focus();
  }, [focusRequest]);

  const save = async () => {
    const batchProblem = batchEventsProblem(destination, kindSettings);
    if (batchProblem) {
      showError({ code: 'VALIDATION', message: `Fix Events per request: ${batchProblem}`, fields: { batchEvents: batchProblem } });
      return;
    }
    setSaving(true);
    setError(null);
    const result = webhook
      ? await api.updateWebhook(buildUpdate(webhook, draft, secrets, destination))
      : await api.createWebhook(buildCreate(draft, secrets, destination));
    setSaving(false);
    if (result.ok) {
      await props.onSaved();
      return;
    }
    showError(result.error);
  };

  // Errors of fields this kind's form does not show (or does not know) are listed in the summary.
  const shownPrefixes = shownFieldPrefixes(destination);
  const settingKeys = destination.fields.map((f) => f.key);
  const shownPath = (path: string): boolean => {
    const [prefix = '', key] = path.split('.');
    if (prefix === 'settings') return key === undefined || settingKeys.includes(key);
    return shownPrefixes.includes(prefix);
  };
  const otherFieldErrors = Object.entries(fields).filter(([path]) => !shownPath(path));
  // Fields named as this form labels them: the kind's URL label, its settings' labels.
  const labelOf = (path: string): string =>
    path === 'url' && urlEntered ? common.urlLabel : fieldLabel(path, (key) => destination.fields.find((f) => f.key === key)?.label);
  const fieldLabels = [...new Set(Object.keys(fields).map(labelOf))];
  const summary =
    error?.code === 'VALIDATION' && fieldLabels.length > 0
      ? `Fix ${fieldLabels.length} ${fieldLabels.length === 1 ? 'field' : 'fields'}: ${fieldLabels.join(', ')}.`
      : (error?.message ?? '');
  const fieldError = (...paths: string[]) => {
    for (const path of paths) {
      const exact = fields[path];
      if (exact) return exact;
    }
    for (const path of paths) {
      const nested = Object.entries(fields).find(([key]) => key.startsWith(`${path}.`));
      if (nested) return nested[1];
    }
    return undefined;
  };

  return (
    <ModalTransition>
      <Modal onClose={requestClose} width="x-large" shouldScrollInViewport label={editing ? 'Edit webhook' : 'Create webhook'}>
        <ModalHeader>
          <ModalTitle>{editing ? `Edit “${webhook.name}”` : 'Create webhook'}</ModalTitle>
        </ModalHeader>
        <ModalBody>
          <form
            id="webhook-form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            {error ? (
              <div data-form-message tabIndex={-1} style={{ outline: 'none' }}>
              {error.code === 'CONFLICT' ? (
                <SectionMessage
                  appearance="warning"
                  title="Someone else changed this webhook"
                  actions={[
                    <Button key="reload" onClick={() => void reloadAfterConflict()}>
                      Reload their version
                    </Button>,
                  ]}
                >
                  <p>
                    Another admin saved this webhook while you were editing it. Reload to see their changes, then
                    make yours again. {error.message}
                  </p>
                </SectionMessage>
              ) : (
                <SectionMessage appearance="error" title="The webhook was not saved">
                  <div>
                    <ProblemText message={summary} />
                  </div>
                  {otherFieldErrors.length > 0 ? (
                    <ul>
                      {otherFieldErrors.map(([path, message]) => (
                        <li key={path}>
                          {labelOf(path)}: <ProblemText message={message} />
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </SectionMessage>
              )}
              </div>
            ) : null}

            <Section title="Destination">
              {!editing ? (
                <FormField id="wh-kind" label="Kind" error={fieldError('kind')} helper={destination.summary}>
                  <Select<KindOption>
                    inputId="wh-kind"
                    options={kindOptions}
                    value={kindOptions.find((o) => o.value === draft.kind)}
                    onChange={(o) => o && set('kind', o.value)}
                    formatOptionLabel={(option, { context }) =>
                      context === 'menu' ? (
                        <div>
                          <div>{option.label}</div>
                          <Subtle small>{option.summary}</Subtle>
                        </div>
                      ) : (
                        option.label
                      )
                    }
                    isSearchable={false}
                  />
                </FormField>
              ) : (
                <p style={{ marginTop: token('space.100') }}>
                  <Subtle>
                    {destination.label}
                    {destination.summary ? `: ${destination.summary}` : ''}
                  </Subtle>
                </p>
              )}
              <FormField id="wh-name" label="Name" error={fieldError('name')} helper="Shown in this list and in the delivery log.">
                <Textfield
                  id="wh-name"
                  value={draft.name}
                  isInvalid={Boolean(fieldError('name'))}
                  placeholder="Security audit feed"
                  onChange={(e) => set('name', e.currentTarget.value)}
                />
              </FormField>
              {urlEntered ? (
                <FormField
                  id="wh-url"
                  label={common.urlLabel}
                  required={!editing}
                  error={fieldError('url')}
                  helper={
                    editing && webhook.urlMasked
                      ? `Stored URL: ${webhook.url}. Leave empty to keep it.${CREDENTIALS_STAY_NOTE(webhook)}`
                      : editing
                        ? `${common.urlHelp}${CREDENTIALS_STAY_NOTE(webhook)}`
                        : common.urlHelp
                  }
                >
                  <Textfield
                    id="wh-url"
                    value={draft.url}
                    isInvalid={Boolean(fieldError('url'))}
                    placeholder={common.urlPlaceholder}
                    onChange={(e) => set('url', e.currentTarget.value)}
                  />
                </FormField>
              ) : (
                <p style={{ marginTop: token('space.200') }}>
                  <Subtle small>
                    {editing ? `${common.urlLabel}: ${webhook.url}. ` : ''}
                    {common.urlHelp}
                  </Subtle>
                </p>
              )}
              {!urlEntered ? null : maskChoice ? (
                <FormField
                  id="wh-mask"
                  label="Mask URL parts"
                  error={fieldError('maskUrl')}
                  helper="Masked parts are shown as ••• on this page and in the delivery log, for URLs that carry a token."
                >
                  <Select<Option<MaskMode>>
                    inputId="wh-mask"
                    options={MASK_OPTIONS}
                    value={MASK_OPTIONS.find((o) => o.value === draft.maskUrl)}
                    onChange={(o) => o && set('maskUrl', o.value)}
                    isSearchable={false}
                  />
                </FormField>
              ) : (
                <p style={{ marginTop: token('space.100') }}>
                  <Subtle small>{common.urlLabel}s contain a secret, so they are always masked after saving.</Subtle>
                </p>
              )}
            </Section>

            {hasOwnSettings(destination) ? (
              <Section title={`${destination.label} settings`}>
                <DestinationSettings
                  destination={destination}
                  webhook={webhook}
                  draft={kindSettings}
                  onChange={setKindSettings}
                  fieldError={(path) => fields[path]}
                />
              </Section>
            ) : null}

            <Section title="Events">
              <div style={{ marginTop: token('space.100') }}>
                <Checkbox
                  name="wh-all-events"
                  label="All events, including types added later"
                  isChecked={draft.allEvents}
                  onChange={(e) => set('allEvents', e.currentTarget.checked)}
                />
              </div>
              <FormField
                id="wh-events"
                label="Event types"
                error={fieldError('events')}
                helper={draft.allEvents ? 'Untick "All events" to choose event types.' : `${draft.events.length} selected`}
              >
                <Select<Option<string>, true>
                  inputId="wh-events"
                  isMulti
                  isDisabled={draft.allEvents}
                  options={eventGroups}
                  value={eventOptions.filter((o) => draft.events.includes(o.value))}
                  onChange={(selected) => set('events', selected.map((o) => o.value))}
                  placeholder="Choose event types"
                  closeMenuOnSelect={false}
                />
              </FormField>
            </Section>

            {common.method ? (
              <Section title="Request">
                <Inline align="start">
                  <div style={{ flex: '1 1 160px' }}>
                    <FormField id="wh-method" label="Method" error={fieldError('method')}>
                      <Select<Option<HttpMethod>>
                        inputId="wh-method"
                        options={METHOD_OPTIONS}
                        value={METHOD_OPTIONS.find((o) => o.value === draft.method)}
                        onChange={(o) => o && set('method', o.value)}
                        isSearchable={false}
                      />
                    </FormField>
                  </div>
                  <div style={{ flex: '1 1 160px' }}>
                    <FormField
                      id="wh-timeout"
                      label="Timeout (seconds)"
                      error={fieldError('timeoutSeconds')}
                      helper="1 to 30. A slower answer counts as a failed attempt and is retried."
                    >
                      <Textfield
                        id="wh-timeout"
                        type="number"
                        min={1}
                        max={30}
                        value={draft.timeoutSeconds}
                        isInvalid={Boolean(fieldError('timeoutSeconds'))}
                        onChange={(e) => set('timeoutSeconds', e.currentTarget.value)}
                      />
                    </FormField>
                  </div>
                </Inline>
              </Section>
            ) : null}

            {common.signing ? (
              <Section title="Signing">
                <FormField id="wh-signing" label="Signature format" error={fieldError('signing.mode', 'signing')} helper={SIGNING_HELP[draft.signingMode]}>
                  <Select<Option<SigningMode>>
                    inputId="wh-signing"
                    options={SIGNING_OPTIONS}
                    value={SIGNING_OPTIONS.find((o) => o.value === draft.signingMode)}
                    onChange={(o) => o && set('signingMode', o.value)}
                    isSearchable={false}
                  />
                </FormField>
                {draft.signingMode === 'base64-list' ? (
                  <FormField id="wh-signing-header" label="Signature header" error={fieldError('signing.header')}>
                    <Textfield
                      id="wh-signing-header"
                      value={draft.signingHeader}
                      onChange={(e) => set('signingHeader', e.currentTarget.value)}
                    />
                  </FormField>
                ) : null}
                <SecretsEditor
                  existing={webhook?.secrets ?? []}
                  state={secrets}
                  onChange={setSecrets}
                  fieldError={(path) => fields[path]}
                  addPath={editing ? 'secretsAdd' : 'secrets'}
                  listError={fields['secrets'] ?? fields['secretsAdd'] ?? fields['secretsRemove'] ?? fields['secretsLabel']}
                />
              </Section>
            ) : null}

            {common.authorization ? (
              <Section title="Authorization">
                <AuthorizationEditor
                  current={webhook?.authorization ?? null}
                  draft={draft}
                  set={set}
                  error={fieldError('authorization')}
                />
              </Section>
            ) : null}

            {common.headers ? (
              <Section title="Additional headers">
                <HeadersEditor
                  rows={draft.headers}
                  onChange={(rows) => set('headers', rows)}
                  fieldError={(path) => fields[path]}
                  listError={fields['headers']}
                />
              </Section>
            ) : null}

            <Section title="Status">
              <Inline>
                <Toggle id="wh-enabled" isChecked={draft.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} />
                <label htmlFor="wh-enabled">Enabled</label>
                <Subtle small>A webhook that is off receives nothing; events are not queued for it.</Subtle>
              </Inline>
            </Section>
          </form>
        </ModalBody>
        <ModalFooter>
          <Button appearance="subtle" onClick={requestClose}>
            Cancel
          </Button>
          <Button appearance="primary" type="submit" form="webhook-form" isLoading={saving}>
            {editing ? 'Save' : 'Create webhook'}
          </Button>
        </ModalFooter>
        <DiscardChanges
          isOpen={askingDiscard}
          onKeepEditing={() => setAskingDiscard(false)}
          onDiscard={() => {
            setAskingDiscard(false);
            props.onClose();
          }}
        />
      </Modal>
    </ModalTransition>
  );
}

function Section(props: { title: string; children: ReactNode }) {
  return (
    <fieldset
      style={{
        border: 0,
        borderTop: `1px solid ${token('color.border')}`,
        margin: `${token('space.300')} 0 0`,
        padding: `${token('space.200')} 0 0`,
        minWidth: 0,
      }}
    >
      <legend style={{ padding: 0, float: 'left', width: '100%' }}>
        <Heading level={2} size={3}>{props.title}</Heading>
      </legend>
      <div style={{ clear: 'both' }}>{props.children}</div>
    </fieldset>
  );
}

function AuthorizationEditor(props: {
  current: { scheme: string } | null;
  draft: Draft;
  set: <K extends keyof Draft>(key: K, value: Draft[K]) => void;
  error?: string;
}) {
  const { draft, set, current } = props;
  const choosing = draft.authMode !== 'keep' && draft.authMode !== 'clear';
  return (
    <Stack gap="small">
      <p style={{ marginTop: token('space.100') }}>
        <Subtle small>
          Sent as the Authorization header. Write-only: once saved, only its scheme is shown here, never the value.
        </Subtle>
      </p>
      {current && !choosing ? (
        <Inline>
          <span data-testid="authorization-state">
            {draft.authMode === 'clear' ? 'Will be cleared when you save' : `Set (${current.scheme})`}
          </span>
          {draft.authMode === 'clear' ? (
            <Button spacing="compact" onClick={() => set('authMode', 'keep')}>
              Undo
            </Button>
          ) : (
            <>
              <Button spacing="compact" onClick={() => set('authMode', 'basic')}>
                Replace
              </Button>
              <Button spacing="compact" onClick={() => set('authMode', 'clear')}>
                Clear
              </Button>
            </>
          )}
        </Inline>
      ) : null}
      {current && !choosing ? (
        // A saved value the API asks to restate (e.g. the URL moved to another host) or clear.
        <FieldError id="wh-auth" error={props.error} />
      ) : (
        <>
          <FormField id="wh-auth-type" label="Authorization" error={props.error}>
            <Select<Option<Exclude<AuthMode, 'keep' | 'clear'>>>
              inputId="wh-auth-type"
              options={AUTH_OPTIONS}
              value={AUTH_OPTIONS.find((o) => o.value === draft.authMode) ?? AUTH_OPTIONS[0]}
              onChange={(o) => o && set('authMode', o.value)}
              isSearchable={false}
            />
          </FormField>
          {draft.authMode === 'basic' ? (
            <Inline align="start">
              <div style={{ flex: '1 1 200px' }}>
                <FormField id="wh-auth-username" label="Username">
                  <Textfield id="wh-auth-username" autoComplete="off" value={draft.authUsername} onChange={(e) => set('authUsername', e.currentTarget.value)} />
                </FormField>
              </div>
              <div style={{ flex: '1 1 200px' }}>
                <FormField id="wh-auth-password" label="Password">
                  <Textfield id="wh-auth-password" type="password" autoComplete="new-password" value={draft.authPassword} onChange={(e) => set('authPassword', e.currentTarget.value)} />
                </FormField>
              </div>
            </Inline>
          ) : null}
          {draft.authMode === 'bearer' ? (
            <FormField id="wh-auth-token" label="Bearer token">
              <Textfield id="wh-auth-token" type="password" autoComplete="new-password" value={draft.authToken} onChange={(e) => set('authToken', e.currentTarget.value)} />
            </FormField>
          ) : null}
          {draft.authMode === 'raw' ? (
            <FormField id="wh-auth-raw" label="Header value" helper="<auth-scheme> <credentials>, for example: Splunk 1a2b3c4d-…">
              <Textfield id="wh-auth-raw" type="password" autoComplete="new-password" value={draft.authRaw} onChange={(e) => set('authRaw', e.currentTarget.value)} />
            </FormField>
          ) : null}
          {current ? (
            <div>
              <Button spacing="compact" appearance="subtle" onClick={() => set('authMode', 'keep')}>
                Keep the current value ({current.scheme})
              </Button>
            </div>
          ) : null}
        </>
      )}
    </Stack>
  );
}

function HeadersEditor(props: {
  rows: HeaderRow[];
  onChange: (rows: HeaderRow[]) => void;
  fieldError: (path: string) => string | undefined;
  listError?: string;
}) {
  const { rows, onChange } = props;
  const update = (index: number, patch: Partial<HeaderRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <Stack gap="small">
      <p style={{ marginTop: token('space.100') }}>
        <Subtle small>
          Extra headers your receiver needs, such as a tenant or source id. Mark tokens as sensitive: their values
          are write-only and shown as •••.
        </Subtle>
      </p>
      {rows.map((row, index) => {
        const n = index + 1;
        const nameError = props.fieldError(`headers.${index}.name`) ?? props.fieldError(`headers.${index}`);
        const valueError = props.fieldError(`headers.${index}.value`);
        return (
          <Inline key={index} align="start" style={{ flexWrap: 'nowrap' }}>
            <div style={{ flex: '1 1 35%' }}>
              <FormField id={`wh-header-${index}-name`} label={`Header ${n} name`} error={nameError}>
                <Textfield id={`wh-header-${index}-name`} value={row.name} isInvalid={Boolean(nameError)} onChange={(e) => update(index, { name: e.currentTarget.value })} />
              </FormField>
            </div>
            <div style={{ flex: '1 1 45%' }}>
              <FormField id={`wh-header-${index}-value`} label={`Header ${n} value`} error={valueError}>
                <Textfield
                  id={`wh-header-${index}-value`}
                  type={row.sensitive ? 'password' : 'text'}
                  autoComplete="off"
                  value={row.value}
                  placeholder={row.storedSensitive ? '••• (unchanged)' : undefined}
                  isInvalid={Boolean(valueError)}
                  onChange={(e) => update(index, { value: e.currentTarget.value })}
                />
              </FormField>
            </div>
            <div style={{ flex: '0 0 auto', paddingTop: token('space.400') }}>
              <Checkbox
                name={`wh-header-${index}-sensitive`}
                label="Sensitive"
                aria-label={`Header ${n} sensitive`}
                isChecked={row.sensitive}
                onChange={(e) => update(index, { sensitive: e.currentTarget.checked })}
              />
            </div>
            <div style={{ flex: '0 0 auto', paddingTop: token('space.400') }}>
              <Button spacing="compact" appearance="subtle" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
                Remove
              </Button>
            </div>
          </Inline>
        );
      })}
      {props.listError ? <span style={{ color: token('color.text.danger') }}>{props.listError}</span> : null}
      <div>
        <Button spacing="compact" onClick={() => onChange([...rows, { name: '', value: '', sensitive: false, storedSensitive: false }])}>
          Add header
        </Button>
      </div>
    </Stack>
  );
}

function groupEvents(eventTypes: EventTypeInfo[]): { label: string; options: Option<string>[] }[] {
  const groups = new Map<string, Option<string>[]>();
  for (const info of eventTypes) {
    const list = groups.get(info.category) ?? [];
    list.push({ label: `${info.type} — ${info.description}`, value: info.type });
    groups.set(info.category, list);
  }
  return [...groups.entries()].map(([label, options]) => ({ label, options }));
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
function buildCreate(draft: Draft, secrets: SecretsState, destination: DestinationView): CreateWebhookInput {
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
  return input;
}

function buildUpdate(webhook: WebhookView, draft: Draft, secrets: SecretsState, destination: DestinationView): UpdateWebhookInput {
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
  return input;
}

