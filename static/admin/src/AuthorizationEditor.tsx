import Button from '@atlaskit/button/new';
import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import { token } from '@atlaskit/tokens';
import { FieldError, FormField, Inline, Stack, Subtle } from './ui';
import type { AuthMode, Draft, Option } from './webhook-draft';

const AUTH_OPTIONS: Option<Exclude<AuthMode, 'keep' | 'clear'>>[] = [
  { label: 'None', value: 'none' },
  { label: 'Basic (username and password)', value: 'basic' },
  { label: 'Bearer token', value: 'bearer' },
  { label: 'Raw header value', value: 'raw' },
];

/** The Authorization header: write-only once saved, so a saved one is kept, replaced or cleared. */
export function AuthorizationEditor(props: {
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
