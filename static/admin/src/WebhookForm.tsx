import { useEffect, useMemo, useState } from 'react';
import Button from '@atlaskit/button/new';
import { Checkbox } from '@atlaskit/checkbox';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle, ModalTransition } from '@atlaskit/modal-dialog';
import SectionMessage from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import Toggle from '@atlaskit/toggle';
import { token } from '@atlaskit/tokens';
import { api } from './api';
import { AuthorizationEditor } from './AuthorizationEditor';
import { DestinationSettings, batchEventsProblem, emptySettingsDraft, hasOwnSettings, type SettingsDraft } from './DestinationSettings';
import { DiscardChanges, useEscapeClaimedByDropdown } from './DiscardChanges';
import { FormSection as Section } from './FormSection';
import { HeadersEditor } from './HeadersEditor';
import { SecretsEditor, emptySecretsState, secretsChanged, type SecretsState } from './SecretsEditor';
import { fieldLabel } from '../../../src/contract/zod-fields';
import { FormField, Inline, ProblemText, Subtle } from './ui';
import {
  buildCreate,
  buildUpdate,
  destinationOf,
  draftFrom,
  urlIsCredential,
  type Draft,
  type Option,
} from './webhook-draft';
import type { ApiError, DestinationView, EventTypeInfo, HttpMethod, MaskMode, SigningMode, WebhookView } from './types';

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

function groupEvents(eventTypes: EventTypeInfo[]): { label: string; options: Option<string>[] }[] {
  const groups = new Map<string, Option<string>[]>();
  for (const info of eventTypes) {
    const list = groups.get(info.category) ?? [];
    list.push({ label: `${info.type} — ${info.description}`, value: info.type });
    groups.set(info.category, list);
  }
  return [...groups.entries()].map(([label, options]) => ({ label, options }));
}
