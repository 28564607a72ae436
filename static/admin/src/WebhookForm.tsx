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
import { CreateSteps, type CreateStep } from './CreateSteps';
import { CreatedTestStep } from './CreatedTestStep';
import { DestinationSettings, batchEventsProblem, emptySettingsDraft, hasOwnSettings, type SettingsDraft } from './DestinationSettings';
import { DiscardChanges, useEscapeClaimedByDropdown } from './DiscardChanges';
import { eventsProblem, nameProblem, timeoutProblem, urlProblem } from './field-checks';
import { FormSection as Section } from './FormSection';
import { useUnsavedChanges } from './unsaved-changes';
import { HeadersEditor } from './HeadersEditor';
import { TemplateEditor } from './TemplateEditor';
import { takesTemplate } from './template-draft';
import { FiltersField } from './FiltersField';
import { RetryPolicyField } from './RetryPolicyField';
import { retryDraftProblems } from './retry-policy-draft';
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
    'filters',
    'retryPolicy',
    ...(takesTemplate(destination) ? ['template'] : []),
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
  /** Told what was saved; on create the form then offers a test send (the flow's last step) if `onSendTest` is given. */
  onSaved: (saved: WebhookView) => Promise<void>;
  onSendTest?: (webhook: WebhookView) => void;
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
  // The created webhook, once the create flow reaches its last step (a test send is offered).
  const [created, setCreated] = useState<WebhookView | null>(null);
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
  // Leaving by another way than this form's own (a tab switch) asks too; discarding there closes the form.
  useUnsavedChanges(dirty && !created, props.onClose);

  /** Escape, Cancel or a click outside: a form with changes asks first; Escape in an open dropdown only closes it. */
  const requestClose = () => {
    if (escapeClaimedByDropdown()) return;
    if (created) {
      props.onClose();
      return;
    }
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

  // The create flow: the step with focus is the current one.
  const [focusedStep, setFocusedStep] = useState<CreateStep | null>(null);
  // Fields left (blurred) or changed after an error: checked as typed with the contract's rules.
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const touch = (path: string) => setTouched((t) => (t.has(path) ? t : new Set(t).add(path)));
  // Leaving a field starts its checks, unless it shows the API's answer: that stays until the field is changed
  // (the API knows what the page cannot check, such as whether the URL's host is allowed).
  const leave = (path: string) => {
    if (!fields[path]) touch(path);
  };
  const live: Record<string, string | undefined> = {
    name: nameProblem(draft.name),
    url: urlEntered ? urlProblem(draft.url, !editing) : undefined,
    timeoutSeconds: common.method ? timeoutProblem(draft.timeoutSeconds) : undefined,
    events: eventsProblem(draft.allEvents, draft.events),
  };
  /** A touched field shows its live check; the others what the last save answered. */
  const checked = (path: string, answered: string | undefined): string | undefined => (touched.has(path) ? live[path] : answered);
  const stepDone: Record<CreateStep, boolean> = {
    destination: live.name === undefined && live.url === undefined && (!urlEntered || draft.url.trim() !== ''),
    events: live.events === undefined,
    security: secrets.added.length > 0 || ['basic', 'bearer', 'raw'].includes(draft.authMode),
    test: false,
  };
  const currentStep: CreateStep = focusedStep ?? (['destination', 'events', 'security'] as const).find((step) => !stepDone[step]) ?? 'security';
  const goToStep = (step: CreateStep) => {
    const section = document.querySelector<HTMLElement>(`#webhook-form [data-step="${step}"]`);
    section?.scrollIntoView({ block: 'start' });
    section?.querySelector<HTMLElement>('input:not([type="hidden"]):not([disabled]), button:not([disabled])')?.focus();
  };

  const [focusRequest, setFocusRequest] = useState(0);
  const showError = (problem: ApiError) => {
    setError(problem);
    // The API's answer is now what each field shows, until the admin changes that field again.
    setTouched(new Set());
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
    const retryProblems = retryDraftProblems(draft.retryPolicy);
    if (Object.keys(retryProblems).length > 0) {
      showError({ code: 'VALIDATION', message: `Fix ${Object.keys(retryProblems).map((path) => fieldLabel(path)).join(', ')}.`, fields: retryProblems });
      return;
    }
    setSaving(true);
    setError(null);
    const result = webhook
      ? await api.updateWebhook(buildUpdate(webhook, draft, secrets, destination))
      : await api.createWebhook(buildCreate(draft, secrets, destination));
    setSaving(false);
    if (result.ok) {
      await props.onSaved(result.data.webhook);
      if (!webhook && props.onSendTest) setCreated(result.data.webhook);
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
        {created ? (
          <ModalBody>
            <CreatedTestStep webhook={created} onDone={props.onClose} onSendTest={() => props.onSendTest?.(created)} />
          </ModalBody>
        ) : (
        <>
        <ModalBody>
          {!editing ? <CreateSteps current={currentStep} done={stepDone} onGo={goToStep} /> : null}
          <form
            id="webhook-form"
            noValidate
            onFocus={(e) => {
              const step = (e.target as HTMLElement).closest('[data-step]')?.getAttribute('data-step');
              if (step === 'destination' || step === 'events' || step === 'security') setFocusedStep(step);
            }}
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

            <Section title="Destination" step="destination">
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
              <FormField id="wh-name" label="Name" required error={checked('name', fieldError('name'))} helper="Shown in this list and in the delivery log.">
                <Textfield
                  id="wh-name"
                  value={draft.name}
                  isRequired
                  isInvalid={Boolean(checked('name', fieldError('name')))}
                  placeholder="Security audit feed"
                  onBlur={() => leave('name')}
                  onChange={(e) => {
                    set('name', e.currentTarget.value);
                    if (fields['name']) touch('name');
                  }}
                />
              </FormField>
              {urlEntered ? (
                <FormField
                  id="wh-url"
                  label={common.urlLabel}
                  required={!editing}
                  error={checked('url', fieldError('url'))}
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
                    isRequired={!editing}
                    isInvalid={Boolean(checked('url', fieldError('url')))}
                    placeholder={common.urlPlaceholder}
                    onBlur={() => leave('url')}
                    onChange={(e) => {
                      set('url', e.currentTarget.value);
                      if (fields['url']) touch('url');
                    }}
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

            <Section title="Events" step="events">
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
                required={!draft.allEvents}
                error={checked('events', fieldError('events'))}
                helper={draft.allEvents ? 'Untick "All events" to choose event types.' : `${draft.events.length} selected`}
              >
                <Select<Option<string>, true>
                  inputId="wh-events"
                  isMulti
                  isDisabled={draft.allEvents}
                  options={eventGroups}
                  value={eventOptions.filter((o) => draft.events.includes(o.value))}
                  onChange={(selected) => {
                    set('events', selected.map((o) => o.value));
                    touch('events');
                  }}
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
                      error={checked('timeoutSeconds', fieldError('timeoutSeconds'))}
                      helper="1 to 30. A slower answer counts as a failed attempt and is retried."
                    >
                      <Textfield
                        id="wh-timeout"
                        type="number"
                        min={1}
                        max={30}
                        value={draft.timeoutSeconds}
                        isInvalid={Boolean(checked('timeoutSeconds', fieldError('timeoutSeconds')))}
                        onBlur={() => leave('timeoutSeconds')}
                        onChange={(e) => {
                          set('timeoutSeconds', e.currentTarget.value);
                          if (fields['timeoutSeconds']) touch('timeoutSeconds');
                        }}
                      />
                    </FormField>
                  </div>
                </Inline>
              </Section>
            ) : null}

            {common.signing ? (
              <Section title="Signing" step="security">
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
                  signingMode={draft.signingMode}
                  listError={fields['secrets'] ?? fields['secretsAdd'] ?? fields['secretsRemove'] ?? fields['secretsLabel']}
                />
              </Section>
            ) : null}

            {common.authorization ? (
              <Section title="Authorization" step="security">
                <AuthorizationEditor
                  current={webhook?.authorization ?? null}
                  draft={draft}
                  set={set}
                  error={fieldError('authorization')}
                />
              </Section>
            ) : null}

            {common.headers ? (
              <Section title="Additional headers" step="security">
                <HeadersEditor
                  rows={draft.headers}
                  onChange={(rows) => set('headers', rows)}
                  fieldError={(path) => fields[path]}
                  listError={fields['headers']}
                />
              </Section>
            ) : null}

            {/* Advanced: further sections (retry policy, filters, payload template) are mounted here, after Security. */}

            <Section title="Retries">
              <RetryPolicyField draft={draft.retryPolicy} onChange={(retryPolicy) => set('retryPolicy', retryPolicy)} fields={fields} />
            </Section>

            <Section title="Filters">
              <FiltersField draft={draft.filters} onChange={(filters) => set('filters', filters)} fields={fields} />
            </Section>

            <Section title="Payload">
              <TemplateEditor
                destination={destination}
                template={draft.template}
                onChange={(template) => set('template', template)}
                events={draft.allEvents ? ['*'] : draft.events}
                eventTypes={props.eventTypes}
                error={fields['template']}
              />
            </Section>

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
        </>
        )}
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
