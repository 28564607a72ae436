/**
 * "Add to Slack": Slack's OAuth v2 consent in a new tab (scope incoming-webhook), then the webhook the
 * app creates for the channel the admin picked. Shown only when the app has a Slack app configured;
 * pasting an incoming-webhook URL in the webhook form keeps working either way.
 */
import { useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import { router } from '@forge/bridge';
import { token } from '@atlaskit/tokens';
import { call } from './api';
import { Inline, Stack } from './ui';
import type { ApiError } from './types';

const POLL_MS = 2000;

type Flow =
  | { step: 'idle' }
  | { step: 'starting' }
  | { step: 'waiting'; state: string; expiresAt: number }
  | { step: 'added'; name: string }
  | { step: 'failed'; error: ApiError };

/** Slack's four-colour mark, drawn inline (no external image: Custom UI's CSP allows none). */
function SlackMark() {
  return (
    <svg width="16" height="16" viewBox="0 0 122.8 122.8" aria-hidden="true" style={{ verticalAlign: 'text-bottom' }}>
      <path fill="#e01e5a" d="M25.8 77.6a12.9 12.9 0 1 1-12.9-12.9h12.9zm6.5 0a12.9 12.9 0 0 1 25.8 0v32.3a12.9 12.9 0 1 1-25.8 0z" />
      <path fill="#36c5f0" d="M45.2 25.8a12.9 12.9 0 1 1 12.9-12.9v12.9zm0 6.5a12.9 12.9 0 0 1 0 25.8H12.9a12.9 12.9 0 0 1 0-25.8z" />
      <path fill="#2eb67d" d="M97 45.2a12.9 12.9 0 1 1 12.9 12.9H97zm-6.5 0a12.9 12.9 0 0 1-25.8 0V12.9a12.9 12.9 0 1 1 25.8 0z" />
      <path fill="#ecb22e" d="M77.6 97a12.9 12.9 0 1 1-12.9 12.9V97zm0-6.5a12.9 12.9 0 0 1 0-25.8h32.3a12.9 12.9 0 0 1 0 25.8z" />
    </svg>
  );
}

export function AddToSlack(props: { onCreated: () => Promise<void> }) {
  const [configured, setConfigured] = useState(false);
  const [flow, setFlow] = useState<Flow>({ step: 'idle' });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const { onCreated } = props;

  useEffect(() => {
    let live = true;
    void call('slack.oauthStatus', {}).then((result) => {
      if (live && result.ok) setConfigured(result.data.configured);
    });
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (flow.step !== 'waiting') return undefined;
    const poll = async () => {
      const result = await call('slack.oauthComplete', { state: flow.state });
      if (!result.ok) {
        setFlow({ step: 'failed', error: result.error });
        return;
      }
      if (result.data.status === 'created') {
        setFlow({ step: 'added', name: result.data.webhook.name });
        await onCreated();
        return;
      }
      if (Date.now() > flow.expiresAt) {
        setFlow({ step: 'failed', error: { code: 'VALIDATION', message: 'Slack did not send you back within 10 minutes. Start again with Add to Slack.' } });
        return;
      }
      timer.current = setTimeout(() => void poll(), POLL_MS);
    };
    timer.current = setTimeout(() => void poll(), POLL_MS);
    return () => clearTimeout(timer.current);
  }, [flow, onCreated]);

  if (!configured) return null;

  const start = async () => {
    setFlow({ step: 'starting' });
    const started = await call('slack.oauthStart', {});
    if (!started.ok) {
      setFlow({ step: 'failed', error: started.error });
      return;
    }
    setFlow({ step: 'waiting', state: started.data.state, expiresAt: Date.parse(started.data.expiresAt) });
    try {
      await router.open(started.data.authorizeUrl);
    } catch {
      // The tab may have been blocked; the message below tells the admin what to do.
    }
  };

  return (
    <Stack gap="small" style={{ maxWidth: 420 }}>
      <Inline gap="small">
        <Button
          appearance="default"
          iconBefore={SlackMark}
          isLoading={flow.step === 'starting'}
          isDisabled={flow.step === 'waiting'}
          onClick={() => void start()}
          testId="add-to-slack"
        >
          Add to Slack
        </Button>
      </Inline>
      {flow.step === 'waiting' ? (
        <SectionMessage appearance="information" title="Finish in Slack">
          <p>
            Slack opened in a new tab: pick the channel for audit events and choose Allow. This page adds the webhook as soon
            as Slack sends you back.
          </p>
          <p style={{ marginTop: token('space.100') }}>
            <Button spacing="compact" appearance="subtle" onClick={() => setFlow({ step: 'idle' })}>
              Cancel
            </Button>
          </p>
        </SectionMessage>
      ) : null}
      {flow.step === 'added' ? (
        <SectionMessage appearance="success" title="Slack connected">
          <p>“{flow.name}” was added. Send a test to see a message in the channel.</p>
        </SectionMessage>
      ) : null}
      {flow.step === 'failed' ? (
        <SectionMessage appearance="error" title="Slack was not connected">
          <p>{flow.error.message}</p>
        </SectionMessage>
      ) : null}
    </Stack>
  );
}
