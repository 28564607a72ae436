import { useState } from 'react';
import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import Textfield from '@atlaskit/textfield';
import { token } from '@atlaskit/tokens';
import { api } from './api';
import { formatDateTime } from './format';
import { HelperMessage, Label } from '@atlaskit/form';
import { Code, Inline, Stack, Subtle } from './ui';
import type { SecretView } from './types';

/** Secrets are never sent back whole: new ones are added and old ones removed, on save. */
export interface SecretsState {
  added: string[];
  removed: { id: string; graceHours?: number }[];
}

export function SecretsEditor(props: {
  existing: SecretView[];
  state: SecretsState;
  onChange: (state: SecretsState) => void;
  fieldError: (index: number) => string | undefined;
  listError?: string;
}) {
  const { existing, state, onChange } = props;
  const [pasted, setPasted] = useState('');
  const [generated, setGenerated] = useState<string | null>(null);
  const [generating, setGenerating] = useState(false);
  const [generateError, setGenerateError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [graceFor, setGraceFor] = useState<string | null>(null);
  const [graceHours, setGraceHours] = useState('24');

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
    onChange({ ...state, added: [...state.added, result.data.secret] });
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
    onChange({ ...state, added: [...state.added, secret] });
    setPasted('');
  };

  const removedIds = new Set(state.removed.map((r) => r.id));
  const hasAny = existing.length + state.added.length > 0;

  return (
    <Stack gap="small" style={{ marginTop: token('space.200') }}>
      <div>
        <strong>Secrets</strong>
        <div>
          <Subtle small>
            Every message is signed with each secret (up to 10), so you can rotate: add the new one, update the
            receiver, then remove the old one with a grace period. Only the first 3 characters are ever shown.
          </Subtle>
        </div>
      </div>
      {hasAny ? (
        <ul aria-label="Secrets" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {existing.map((secret) => {
            const removal = state.removed.find((r) => r.id === secret.id);
            return (
              <li key={secret.id} style={rowStyle}>
                <Inline spread>
                  <span>
                    <code style={{ font: token('font.code') }}>{secret.preview}•••</code>{' '}
                    <Subtle small>
                      created {formatDateTime(secret.createdAt)}
                      {secret.expiresAt ? `, expires ${formatDateTime(secret.expiresAt)}` : ''}
                      {removal ? ` — removed on save, valid for ${removal.graceHours ?? 24} more hours` : ''}
                    </Subtle>
                  </span>
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
              </li>
            );
          })}
          {state.added.map((secret, index) => {
            const error = props.fieldError(index);
            return (
              <li key={`new-${index}`} style={rowStyle}>
                <Inline spread>
                  <span>
                    <code style={{ font: token('font.code') }}>{secret.slice(0, 3)}•••</code>{' '}
                    <Subtle small>new, added when you save</Subtle>
                    {error ? <div style={{ color: token('color.text.danger') }}>{error}</div> : null}
                  </span>
                  <Button
                    spacing="compact"
                    appearance="subtle"
                    onClick={() => {
                      onChange({ ...state, added: state.added.filter((_, i) => i !== index) });
                      if (secret === generated) setGenerated(null);
                    }}
                  >
                    Remove
                  </Button>
                </Inline>
              </li>
            );
          })}
        </ul>
      ) : (
        <Subtle small>No secrets: messages are sent unsigned. Generate one and give it to your receiver.</Subtle>
      )}
      {props.listError ? <span style={{ color: token('color.text.danger') }}>{props.listError}</span> : null}
      {generated ? (
        <SectionMessage appearance="information" title="Copy this secret to your receiver now">
          <p>It is shown only this once. After saving, only its first 3 characters are shown.</p>
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
        <Label htmlFor="wh-secret-paste">Or paste an existing secret</Label>
        <Inline wrap={false}>
          <div style={{ flex: '1 1 auto' }}>
            <Textfield
              id="wh-secret-paste"
              type="password"
              autoComplete="off"
              value={pasted}
              placeholder="whsec_…"
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
            Add secret
          </Button>
        </Inline>
        <HelperMessage>whsec_ followed by base64 of 24 to 64 random bytes, as your receiver expects it.</HelperMessage>
      </div>
    </Stack>
  );
}

const rowStyle = {
  padding: `${token('space.075')} 0`,
  borderBottom: `1px solid ${token('color.border')}`,
};
