/**
 * "Authorize" for a custom webhook whose OAuth grant is the authorization code (docs/destinations.md,
 * OAuth 2.0): its status, the redirect URL to register at the provider, Authorize / Re-authorize (opens
 * the provider's consent page in a new tab, as Add to Slack does) and Verify (a test send). Tokens never
 * reach the page: webhooks.oauthStatus answers only who authorized and when.
 */
import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import Textfield from '@atlaskit/textfield';
import { router } from '@forge/bridge';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api';
import { FormField, Inline, Stack, Subtle } from './ui';
import type { ApiError, WebhookView } from './types';

type Status = { status: 'not-authorized' | 'authorized' | 'needs-reauthorization'; redirectUrl: string; authorizedAt?: string; authorizedBy?: string; reason?: string };

/** How often the page looks whether the provider sent the admin back, while waiting. */
const POLL_MS = 3_000;

const when = (iso: string): string => new Date(iso).toLocaleString();

export function OAuthAuthorize(props: { webhook?: WebhookView }) {
  const { webhook } = props;
  const savedAsCode = webhook?.kind === 'custom' && webhook.settings?.oauthGrant === 'authorization-code';
  const [status, setStatus] = useState<Status | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [waitingUntil, setWaitingUntil] = useState<number | undefined>();
  const [busy, setBusy] = useState<'authorize' | 'verify' | undefined>();
  const [verified, setVerified] = useState<{ ok: boolean; text: string } | undefined>();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const id = webhook?.id;

  const load = useCallback(async (): Promise<Status | undefined> => {
    if (!id) return undefined;
    const result = await api.oauthStatus(id);
    if (!result.ok) {
      setError(result.error);
      return undefined;
    }
    setError(undefined);
    setStatus(result.data);
    return result.data;
  }, [id]);

  useEffect(() => {
    if (savedAsCode) void load();
  }, [savedAsCode, load, webhook?.version]);

  // While the consent tab is open, look every few seconds whether the authorization arrived.
  useEffect(() => {
    if (waitingUntil === undefined) return undefined;
    const before = status?.authorizedAt;
    const poll = async () => {
      const now = await load();
      if (now?.status === 'authorized' && now.authorizedAt !== before) {
        setWaitingUntil(undefined);
        return;
      }
      if (Date.now() > waitingUntil) {
        setWaitingUntil(undefined);
        return;
      }
      timer.current = setTimeout(() => void poll(), POLL_MS);
    };
    timer.current = setTimeout(() => void poll(), POLL_MS);
    return () => clearTimeout(timer.current);
    // Started once per wait: `status` is read as it was when the wait began.
  }, [waitingUntil, load]);

  if (!savedAsCode || !id) {
    return (
      <SectionMessage appearance="information" title="Authorize after saving">
        <p>Save the webhook with the authorization-code grant; then Authorize appears here, with the redirect URL to register at your provider.</p>
      </SectionMessage>
    );
  }

  const authorize = async () => {
    setBusy('authorize');
    setVerified(undefined);
    const started = await api.oauthAuthorize(id);
    setBusy(undefined);
    if (!started.ok) {
      setError(started.error);
      return;
    }
    setWaitingUntil(Date.parse(started.data.expiresAt));
    try {
      await router.open(started.data.authorizeUrl);
    } catch {
      // A blocked tab: the message below says what to do.
    }
  };

  const verify = async () => {
    setBusy('verify');
    const result = await api.testWebhook(id);
    setBusy(undefined);
    if (!result.ok) {
      setVerified({ ok: false, text: result.error.message });
      return;
    }
    const { response, error: sendError } = result.data;
    if (response && response.status >= 200 && response.status <= 299) setVerified({ ok: true, text: `The receiver answered HTTP ${response.status} to a test event sent with the access token.` });
    else setVerified({ ok: false, text: sendError?.message ?? `The receiver answered HTTP ${response?.status ?? '?'}.` });
  };

  const authorized = status?.status === 'authorized';
  return (
    <Stack gap="small">
      <div data-testid="oauth-status" role="status">
        {status === undefined ? (
          <Subtle>Loading the authorization…</Subtle>
        ) : status.status === 'authorized' ? (
          <span>
            Authorized{status.authorizedAt ? ` on ${when(status.authorizedAt)}` : ''}
            {status.authorizedBy ? ` by account ${status.authorizedBy}` : ''}.
          </span>
        ) : status.status === 'needs-reauthorization' ? (
          <SectionMessage appearance="warning" title="Needs re-authorization">
            <p>{status.reason ?? 'Authorize again.'}</p>
          </SectionMessage>
        ) : (
          <span>Not authorized: events wait as failed deliveries until you authorize (then recover them from the delivery log).</span>
        )}
      </div>
      {status ? (
        <FormField id="wh-oauth-redirect" label="Redirect URL" helper="Register this URL at your OAuth provider as the app's redirect (callback) URL, exactly as shown.">
          <Textfield id="wh-oauth-redirect" value={status.redirectUrl} isReadOnly onFocus={(e) => e.currentTarget.select()} />
        </FormField>
      ) : null}
      <Inline gap="small">
        <Button appearance={authorized ? 'default' : 'primary'} isLoading={busy === 'authorize'} onClick={() => void authorize()} testId="oauth-authorize">
          {status?.status === 'not-authorized' || status === undefined ? 'Authorize' : 'Re-authorize'}
        </Button>
        <Button isDisabled={!authorized} isLoading={busy === 'verify'} onClick={() => void verify()} testId="oauth-verify">
          Verify
        </Button>
      </Inline>
      {waitingUntil !== undefined ? (
        <SectionMessage appearance="information" title="Finish at the provider">
          <p>The provider opened in a new tab: sign in and allow access. This page shows the authorization as soon as the provider sends you back.</p>
        </SectionMessage>
      ) : null}
      {verified ? (
        <SectionMessage appearance={verified.ok ? 'success' : 'error'} title={verified.ok ? 'Verified' : 'Verify failed'}>
          <p>{verified.text}</p>
        </SectionMessage>
      ) : null}
      {error ? (
        <SectionMessage appearance="error" title="Could not authorize">
          <p>{error.message}</p>
        </SectionMessage>
      ) : null}
    </Stack>
  );
}
