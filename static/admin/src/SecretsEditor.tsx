import { useState } from 'react';
import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import Textfield from '@atlaskit/textfield';
import { token } from '@atlaskit/tokens';
import { api } from './api';
import { formatDateTime } from './format';
import { HelperMessage, Label } from '@atlaskit/form';
import { Code, FieldError, FormField, Inline, Stack, Subtle, useFieldErrorAria } from './ui';
import type { SecretView, SigningMode, UpdateWebhookInput } from './types';

type SecretAddInput = NonNullable<UpdateWebhookInput['secretsAdd']>[number];

/** A secret typed or generated in this form, not saved yet; its fingerprint is computed here, as the server will. */
export interface NewSecret {
  value: string;
  label: string;
  fingerprint?: string;
}

/** Secrets are never sent back whole: new ones are added, old ones renamed or removed, on save. */
export interface SecretsState {
  added: NewSecret[];
  removed: { id: string; graceHours?: number }[];
  /** Secret id -> the label typed for it. */
  labels: Record<string, string>;
}

export const emptySecretsState = (): SecretsState => ({ added: [], removed: [], labels: {} });

/** secrets / secretsAdd: the value alone, or { value, label } when the admin named it. */
export const secretsAddInput = (state: SecretsState): SecretAddInput[] =>
  state.added.map((secret) => (secret.label.trim() === '' ? secret.value : { value: secret.value, label: secret.label.trim() }));

/** secretsLabel: the labels that differ from the saved ones, in the order the list shows them. */
export const secretsLabelInput = (state: SecretsState, existing: readonly SecretView[]): { id: string; label: string }[] =>
  existing.flatMap((secret) => {
    const typed = state.labels[secret.id];
    return typed === undefined || typed.trim() === secret.label ? [] : [{ id: secret.id, label: typed.trim() }];
  });

export const secretsChanged = (state: SecretsState, existing: readonly SecretView[]): boolean =>
  state.added.length > 0 || state.removed.length > 0 || secretsLabelInput(state, existing).length > 0;

/** The same 8 hex characters of SHA-256 the API answers as `fingerprint` (docs/admin-api.md). */
async function fingerprintOf(value: string): Promise<string | undefined> {
  try {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
    return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('').slice(0, 8);
  } catch {
    return undefined;
  }
}

export function SecretsEditor(props: {
  existing: SecretView[];
  state: SecretsState;
  onChange: (state: SecretsState) => void;
  /** The API's field errors by path; new secrets are under `addPath` (secrets on create, secretsAdd on update). */
  fieldError: (path: string) => string | undefined;
  addPath: 'secrets' | 'secretsAdd';
  listError?: string;
  /** base64-list and hub also take a text of the admin's own as a secret (issue 14); standard needs whsec_. */
  signingMode?: SigningMode;
}) {
  const ownText = props.signingMode === 'base64-list' || props.signingMode === 'hub';
  const { existing, state, onChange } = props;
  const [pasted, setPasted] = useState('');
  const [generated, setGenerated] = useState<string | null>(null);
  const [generating, setGenerating] = useState(false);
  const [generateError, setGenerateError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [graceFor, setGraceFor] = useState<string | null>(null);
  const [graceHours, setGraceHours] = useState('24');
  const [renaming, setRenaming] = useState<string[]>([]);
  useFieldErrorAria('wh-secret-paste', props.listError);

  const add = async (value: string) => {
    const fingerprint = await fingerprintOf(value);
    onChange({ ...state, added: [...state.added, { value, label: '', ...(fingerprint ? { fingerprint } : {}) }] });
  };

  const generate = async () => {
    setGenerating(true);
    setGenerateError(null);
    const result = await api.randomSecret();
    setGenerating(false);
    if (!result.ok) {
      setGenerateError(result.error.message);
      return;
    }
    setGenerated(result.data.secret);
    setCopied(false);
    await add(result.data.secret);
  };

  const copy = async () => {
    if (!generated) return;
    try {
      await navigator.clipboard.writeText(generated);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  const addPasted = () => {
    const secret = pasted.trim();
    if (secret === '') return;
    setPasted('');
    void add(secret);
  };

  const renames = secretsLabelInput(state, existing);
  const renameError = (id: string): string | undefined => {
    const index = renames.findIndex((rename) => rename.id === id);
    return index < 0 ? undefined : (props.fieldError(`secretsLabel.${index}.label`) ?? props.fieldError(`secretsLabel.${index}`));
  };
  const setLabel = (id: string, label: string) => onChange({ ...state, labels: { ...state.labels, [id]: label } });
  const removedIds = new Set(state.removed.map((r) => r.id));
  const hasAny = existing.length + state.added.length > 0;

  return (
    <Stack gap="small" style={{ marginTop: token('space.200') }}>
      <div>
        <strong>Secrets</strong>
        <div>
          <Subtle small>
            Every message is signed with each secret (up to 10), so you can rotate: add the new one, update the
            receiver, then remove the old one with a grace period. A secret is never shown again after saving: its
            label and fingerprint (the first 8 hex characters of its SHA-256) tell secrets apart.
          </Subtle>
        </div>
      </div>
      {hasAny ? (
        <ul aria-label="Secrets" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {existing.map((secret) => {
            const removal = state.removed.find((r) => r.id === secret.id);
            return (
              <li key={secret.id} style={rowStyle} data-testid="secret-row">
                <Inline spread>
                  <span>
                    <strong data-testid="secret-label">{state.labels[secret.id]?.trim() || secret.label}</strong>{' '}
                    <Subtle small>fingerprint</Subtle>{' '}
                    <code style={{ font: token('font.code') }} data-testid="secret-fingerprint">
                      {secret.fingerprint ?? 'shown after the next save'}
                    </code>{' '}
                    <Subtle small>
                      created {formatDateTime(secret.createdAt)}
                      {secret.expiresAt ? `, expires ${formatDateTime(secret.expiresAt)}` : ''}
                      {removal ? ` — removed on save, valid for ${removal.graceHours ?? 24} more hours` : ''}
                    </Subtle>
                  </span>
                  <Inline>
                  {renaming.includes(secret.id) || renameError(secret.id) ? null : (
                    <Button spacing="compact" appearance="subtle" aria-label={`Rename ${secret.label}`} onClick={() => setRenaming([...renaming, secret.id])}>
                      Rename
                    </Button>
                  )}
                  {removedIds.has(secret.id) ? (
                    <Button spacing="compact" onClick={() => onChange({ ...state, removed: state.removed.filter((r) => r.id !== secret.id) })}>
                      Undo
                    </Button>
                  ) : graceFor === secret.id ? (
                    <Inline>
                      <label htmlFor={`grace-${secret.id}`}>Grace period (hours)</label>
                      <div style={{ width: 80 }}>
                        <Textfield id={`grace-${secret.id}`} type="number" min={0} max={168} value={graceHours} onChange={(e) => setGraceHours(e.currentTarget.value)} />
                      </div>
                      <Button
                        spacing="compact"
                        appearance="warning"
                        onClick={() => {
                          const hours = Math.min(168, Math.max(0, Number(graceHours) || 0));
                          onChange({ ...state, removed: [...state.removed, { id: secret.id, graceHours: hours }] });
                          setGraceFor(null);
                        }}
                      >
                        Remove
                      </Button>
                      <Button spacing="compact" appearance="subtle" onClick={() => setGraceFor(null)}>
                        Cancel
                      </Button>
                    </Inline>
                  ) : (
                    <Button
                      spacing="compact"
                      onClick={() => {
                        setGraceFor(secret.id);
                        setGraceHours('24');
                      }}
                    >
                      Remove…
                    </Button>
                  )}
                  </Inline>
                </Inline>
                {renaming.includes(secret.id) || renameError(secret.id) ? (
                  <FormField id={`wh-secret-label-${secret.id}`} label={`Label of ${secret.label}`} error={renameError(secret.id)} helper="1 to 60 characters, e.g. Rotation Nov 2026.">
                    <Textfield
                      id={`wh-secret-label-${secret.id}`}
                      autoComplete="off"
                      maxLength={60}
                      value={state.labels[secret.id] ?? secret.label}
                      onChange={(e) => setLabel(secret.id, e.currentTarget.value)}
                    />
                  </FormField>
                ) : null}
              </li>
            );
          })}
          {state.added.map((secret, index) => {
            const n = existing.length + index + 1;
            const path = `${props.addPath}.${index}`;
            const error = props.fieldError(`${path}.label`) ?? props.fieldError(path);
            const id = `wh-secret-new-${index}-label`;
            return (
              <li key={`new-${index}`} style={rowStyle} data-testid="secret-row">
                <Inline spread>
                  <span>
                    <strong data-testid="secret-label">{secret.label.trim() || `Secret ${n}`}</strong>{' '}
                    <Subtle small>fingerprint</Subtle>{' '}
                    <code style={{ font: token('font.code') }} data-testid="secret-fingerprint">
                      {secret.fingerprint ?? '…'}
                    </code>{' '}
                    <Subtle small>new, added when you save</Subtle>
                  </span>
                  <Button
                    spacing="compact"
                    appearance="subtle"
                    onClick={() => {
                      onChange({ ...state, added: state.added.filter((_, i) => i !== index) });
                      if (secret.value === generated) setGenerated(null);
                    }}
                  >
                    Remove
                  </Button>
                </Inline>
                <FormField id={id} label={`Label for secret ${n} (optional)`} error={error}>
                  <Textfield
                    id={id}
                    autoComplete="off"
                    maxLength={60}
                    placeholder={`Secret ${n}`}
                    value={secret.label}
                    onChange={(e) => {
                      const label = e.currentTarget.value;
                      onChange({ ...state, added: state.added.map((s, i) => (i === index ? { ...s, label } : s)) });
                    }}
                  />
                </FormField>
              </li>
            );
          })}
        </ul>
      ) : (
        <Subtle small>No secrets: messages are sent unsigned. Generate one and give it to your receiver.</Subtle>
      )}
      {/* A problem with the list as a whole (too many secrets) is told at the field that adds one. */}
      <FieldError id="wh-secret-paste" error={props.listError} />
      {generated ? (
        <SectionMessage appearance="information" title="Copy this secret to your receiver now">
          <p>It is shown only this once. After saving, only its label and fingerprint are shown.</p>
          <Code label="New secret">{generated}</Code>
          <div style={{ marginTop: token('space.100') }}>
            <Button spacing="compact" onClick={() => void copy()}>
              {copied ? 'Copied' : 'Copy secret'}
            </Button>
          </div>
        </SectionMessage>
      ) : null}
      {generateError ? <span style={{ color: token('color.text.danger') }}>{generateError}</span> : null}
      <div>
        <Button onClick={() => void generate()} isLoading={generating}>
          Generate secret
        </Button>
      </div>
      <div>
        <Label htmlFor="wh-secret-paste">{ownText ? 'Or add a text as a secret' : 'Or paste an existing secret'}</Label>
        <Inline wrap={false}>
          <div style={{ flex: '1 1 auto' }}>
            <Textfield
              id="wh-secret-paste"
              type="password"
              autoComplete="off"
              value={pasted}
              placeholder={ownText ? 'whsec_… or your own text' : 'whsec_…'}
              onChange={(e) => setPasted(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  addPasted();
                }
              }}
            />
          </div>
          <Button onClick={addPasted} isDisabled={pasted.trim() === ''}>
            {ownText ? 'Add the text as a secret' : 'Add secret'}
          </Button>
        </Inline>
        <HelperMessage>
          {ownText
            ? 'A secret your receiver already has: whsec_ followed by base64, or any text of 24 to 256 characters (not a placeholder or a repeated pattern). It signs as typed.'
            : 'whsec_ followed by base64 of 24 to 64 random bytes, as your receiver expects it.'}
        </HelperMessage>
      </div>
    </Stack>
  );
}

const rowStyle = {
  padding: `${token('space.075')} 0`,
  borderBottom: `1px solid ${token('color.border')}`,
};
