/**
 * A destination kind's own settings and its batch size, rendered from webhooks.list `destinations`: the
 * page knows field types (text, secret, select, number), never kinds.
 */
import Button from '@atlaskit/button/new';
import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import { token } from '@atlaskit/tokens';
import { OAuthAuthorize } from './OAuthAuthorize';
import { FieldError, FormField, Inline, Stack } from './ui';
import type { DestinationView, SettingField, WebhookView } from './types';

/** What the admin typed per setting key; secret fields start empty and stay write-only. */
export type SettingValues = Record<string, string>;

export interface SettingsDraft {
  values: SettingValues;
  /** Secret settings the admin asked to clear on save. */
  clearSecrets: string[];
  batchEvents: string;
}

export const emptySettingsDraft = (): SettingsDraft => ({ values: {}, clearSecrets: [], batchEvents: '' });

/** The draft for a stored webhook: its non-secret values as text, secrets empty ("Leave empty to keep"). */
export function settingsDraftFrom(webhook: WebhookView): SettingsDraft {
  return {
    values: Object.fromEntries(Object.entries(webhook.settings ?? {}).map(([key, value]) => [key, String(value)])),
    clearSecrets: [],
    batchEvents: webhook.batchEvents === undefined ? '' : String(webhook.batchEvents),
  };
}

export const settingId = (key: string): string => `wh-setting-${key}`;
export const BATCH_EVENTS_ID = 'wh-batch-events';

const WHOLE_NUMBER = /^-?\d+$/;

/** A number field's text as the API takes it: a whole number, or the text itself so the API names the problem. */
const settingValue = (field: SettingField, raw: string): string | number =>
  field.type === 'number' && WHOLE_NUMBER.test(raw) ? Number(raw) : raw;

/** The create input's `settings`: every field filled in (empty ones get the kind's default on the server). */
export function settingsForCreate(destination: DestinationView, draft: SettingsDraft): Record<string, string | number> | undefined {
  const settings: Record<string, string | number> = {};
  for (const field of destination.fields) {
    const raw = (draft.values[field.key] ?? '').trim();
    if (raw !== '') settings[field.key] = settingValue(field, raw);
  }
  return Object.keys(settings).length > 0 ? settings : undefined;
}

/**
 * The update input's `settings`: changed values, null for a value emptied or a secret cleared; a secret
 * left empty is left out, which keeps it.
 */
export function settingsForUpdate(
  destination: DestinationView,
  webhook: WebhookView,
  draft: SettingsDraft,
): Record<string, string | number | null> | undefined {
  const settings: Record<string, string | number | null> = {};
  for (const field of destination.fields) {
    const raw = (draft.values[field.key] ?? '').trim();
    if (field.type === 'secret') {
      if (raw !== '') settings[field.key] = raw;
      else if (draft.clearSecrets.includes(field.key) && webhook.secretSettings.includes(field.key)) settings[field.key] = null;
      continue;
    }
    const stored = webhook.settings?.[field.key];
    if (raw === '') {
      if (stored !== undefined) settings[field.key] = null;
      continue;
    }
    const value = settingValue(field, raw);
    if (value !== stored) settings[field.key] = value;
  }
  return Object.keys(settings).length > 0 ? settings : undefined;
}

/** Events per request as typed: undefined when empty (the kind's default), NaN when not a whole number. */
export function batchEventsOf(draft: SettingsDraft): number | undefined {
  const raw = draft.batchEvents.trim();
  if (raw === '') return undefined;
  return WHOLE_NUMBER.test(raw) ? Number(raw) : Number.NaN;
}

/** The page's own check of the batch size, so a typo is not sent as "the kind's default". */
export function batchEventsProblem(destination: DestinationView, draft: SettingsDraft): string | undefined {
  const batch = destination.batch;
  const value = batchEventsOf(draft);
  if (!batch || value === undefined) return undefined;
  return Number.isInteger(value) && value >= 1 && value <= batch.maxEvents
    ? undefined
    : `Enter the events per request as a whole number from 1 to ${batch.maxEvents}, or leave it empty for ${batch.defaultEvents}.`;
}

interface Option {
  label: string;
  value: string;
}

export function DestinationSettings(props: {
  destination: DestinationView;
  /** The stored webhook when editing: which secret settings are set. */
  webhook?: WebhookView;
  draft: SettingsDraft;
  onChange: (draft: SettingsDraft) => void;
  fieldError: (path: string) => string | undefined;
}) {
  const { destination, draft, onChange, fieldError } = props;
  const setValue = (key: string, value: string) => onChange({ ...draft, values: { ...draft.values, [key]: value } });
  const storedSecrets = props.webhook?.kind === destination.kind ? props.webhook.secretSettings : [];
  const toggleClear = (key: string, clear: boolean) =>
    onChange({ ...draft, clearSecrets: clear ? [...draft.clearSecrets, key] : draft.clearSecrets.filter((k) => k !== key) });

  return (
    <Stack gap="small">
      <FieldError id="wh-settings" error={fieldError('settings')} />
      {destination.fields.map((field) => {
        const id = settingId(field.key);
        const error = fieldError(`settings.${field.key}`);
        const value = draft.values[field.key] ?? '';
        const placeholder = placeholderOf(field);
        if (field.type === 'select') {
          const options: Option[] = (field.options ?? []).map((o) => ({ label: o.label, value: o.value }));
          return (
            <FormField key={field.key} id={id} label={field.label} required={field.required} helper={field.help} error={error}>
              <Select<Option>
                inputId={id}
                options={options}
                value={options.find((o) => o.value === value) ?? null}
                onChange={(o) => setValue(field.key, o?.value ?? '')}
                placeholder={placeholder ?? 'Choose…'}
                isClearable={!field.required}
                isSearchable={false}
                isInvalid={Boolean(error)}
                aria-required={field.required}
              />
            </FormField>
          );
        }
        if (field.type === 'secret') {
          const stored = storedSecrets.includes(field.key);
          const clearing = draft.clearSecrets.includes(field.key);
          return (
            <FormField key={field.key} id={id} label={field.label} required={field.required && !stored} helper={field.help} error={error}>
              {stored ? (
                <Inline style={{ marginBottom: token('space.050') }}>
                  <span data-testid={`${id}-state`}>{clearing ? 'Will be cleared when you save' : 'Set'}</span>
                  {field.required ? null : clearing ? (
                    <Button spacing="compact" onClick={() => toggleClear(field.key, false)}>
                      Undo
                    </Button>
                  ) : (
                    <Button spacing="compact" onClick={() => toggleClear(field.key, true)}>
                      Clear {field.label}
                    </Button>
                  )}
                </Inline>
              ) : null}
              <Textfield
                id={id}
                type="password"
                autoComplete="off"
                spellCheck={false}
                value={value}
                isDisabled={clearing}
                isRequired={field.required && !stored}
                isInvalid={Boolean(error)}
                placeholder={stored ? 'Leave empty to keep' : placeholder}
                onChange={(e) => setValue(field.key, e.currentTarget.value)}
              />
            </FormField>
          );
        }
        return (
          <FormField key={field.key} id={id} label={field.label} required={field.required} helper={field.help} error={error}>
            <Textfield
              id={id}
              type={field.type === 'number' ? 'number' : 'text'}
              min={field.type === 'number' ? field.min : undefined}
              max={field.type === 'number' ? field.max : undefined}
              autoComplete="off"
              value={value}
              isRequired={field.required}
              isInvalid={Boolean(error)}
              placeholder={placeholder}
              onChange={(e) => setValue(field.key, e.currentTarget.value)}
            />
          </FormField>
        );
      })}
      {/* The authorization-code grant (custom webhooks' OAuth settings): Authorize, its status and Verify. */}
      {draft.values.oauthGrant === 'authorization-code' ? <OAuthAuthorize webhook={props.webhook} /> : null}
      {destination.batch ? (
        <FormField
          id={BATCH_EVENTS_ID}
          label="Events per request"
          error={fieldError('batchEvents')}
          helper={`Up to ${destination.batch.maxEvents} events go in one request (at most ${formatBytes(destination.batch.maxBytes)}). Leave empty for ${destination.batch.defaultEvents}.`}
        >
          <Textfield
            id={BATCH_EVENTS_ID}
            type="number"
            min={1}
            max={destination.batch.maxEvents}
            value={draft.batchEvents}
            isInvalid={Boolean(fieldError('batchEvents'))}
            placeholder={`${destination.batch.defaultEvents} (default)`}
            onChange={(e) => onChange({ ...draft, batchEvents: e.currentTarget.value })}
          />
        </FormField>
      ) : null}
    </Stack>
  );
}

/** A default is what an empty field means, so it is what the placeholder shows. */
function placeholderOf(field: SettingField): string | undefined {
  if (field.defaultValue !== undefined) {
    const shown = field.options?.find((o) => o.value === field.defaultValue)?.label ?? String(field.defaultValue);
    return `${shown} (default)`;
  }
  return field.placeholder;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${Math.round(bytes / 100_000) / 10} MB`;
  if (bytes >= 1_000) return `${Math.round(bytes / 1_000)} KB`;
  return `${bytes} bytes`;
}

/** Whether a kind has anything for DestinationSettings to show. */
export const hasOwnSettings = (destination: DestinationView): boolean => destination.fields.length > 0 || destination.batch !== undefined;
