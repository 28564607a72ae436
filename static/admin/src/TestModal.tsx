import { useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle, ModalTransition } from '@atlaskit/modal-dialog';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { token } from '@atlaskit/tokens';
import { api } from './api';
import { ApiErrorMessage } from './ErrorStates';
import { RequestView, ResponseView } from './HttpExchange';
import { Heading, ProblemText, Stack } from './ui';
import type { ApiError, TestWebhookResult, WebhookView } from './types';

type State = { state: 'sending' } | { state: 'done'; result: TestWebhookResult } | { state: 'failed'; error: ApiError };

/** Sends a test event to one webhook and shows both sides of the exchange. */
export function TestModal(props: { webhook: WebhookView; onClose: () => void; onShowDeliveries: () => void }) {
  const [state, setState] = useState<State>({ state: 'sending' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setState({ state: 'sending' });
    void api.testWebhook(props.webhook.id).then((result) => {
      if (!live) return;
      setState(result.ok ? { state: 'done', result: result.data } : { state: 'failed', error: result.error });
    });
    return () => {
      live = false;
    };
  }, [props.webhook.id, attempt]);

  return (
    <ModalTransition>
      {/* The page scrolls, not the body: Atlaskit makes the body keyboard-scrollable only if it overflows when it
          opens, and the exchange arrives later (axe: scrollable-region-focusable). */}
      <Modal onClose={props.onClose} width="large" shouldScrollInViewport label={`Test of ${props.webhook.name}`}>
        <ModalHeader>
          <ModalTitle>Test “{props.webhook.name}”</ModalTitle>
        </ModalHeader>
        <ModalBody>
          {state.state === 'sending' ? (
            <div style={{ display: 'flex', gap: token('space.100'), alignItems: 'center', padding: token('space.200') }}>
              <Spinner label="Sending test event" />
              <span>Sending a test event…</span>
            </div>
          ) : state.state === 'failed' ? (
            <ApiErrorMessage error={state.error} title="The test was not sent" />
          ) : (
            <TestOutcome result={state.result} />
          )}
        </ModalBody>
        <ModalFooter>
          <Button appearance="subtle" onClick={props.onShowDeliveries} isDisabled={state.state === 'sending'}>
            Open delivery log
          </Button>
          <Button onClick={() => setAttempt((n) => n + 1)} isDisabled={state.state === 'sending'}>
            Send again
          </Button>
          <Button appearance="primary" onClick={props.onClose}>
            Close
          </Button>
        </ModalFooter>
      </Modal>
    </ModalTransition>
  );
}

function TestOutcome(props: { result: TestWebhookResult }) {
  const { result } = props;
  const delivered = result.response !== undefined && result.response.status >= 200 && result.response.status < 300;
  return (
    <Stack>
      {result.error ? (
        <SectionMessage appearance="error" title={errorClassTitle(result.error.class)}>
          <div>
            <ProblemText message={result.error.message} />
          </div>
        </SectionMessage>
      ) : delivered ? (
        <SectionMessage appearance="success" title="Delivered">
          <p>Your endpoint accepted the test event. Delivery id {result.deliveryId}.</p>
        </SectionMessage>
      ) : (
        <SectionMessage appearance="warning" title="Your endpoint answered with an error">
          <p>Check the response below: a non-2xx answer is retried for real events.</p>
        </SectionMessage>
      )}
      <section aria-label="Test request">
        <Heading level={2} size={3}>Request</Heading>
        <div style={{ marginTop: token('space.100') }}>
          <RequestView request={result.request} />
        </div>
      </section>
      {result.response ? (
        <section aria-label="Test response">
          <Heading level={2} size={3}>Response</Heading>
          <div style={{ marginTop: token('space.100') }}>
            <ResponseView response={result.response} />
          </div>
        </section>
      ) : null}
    </Stack>
  );
}

/** The network error taxonomy (docs/admin-api.md, webhooks.test) in words an admin reads at a glance. */
const ERROR_CLASS_TITLES: Record<string, string> = {
  dns: 'DNS lookup failed',
  refused: 'Connection refused',
  reset: 'Connection reset',
  timeout: 'No answer in time',
  tls: 'Secure connection (TLS) failed',
  redirect: 'Redirected (redirects are not followed)',
  http: 'HTTP error',
  'blocked-egress': 'Host not allowed for the app',
  other: 'The request failed',
};

export const errorClassTitle = (errorClass: string): string => ERROR_CLASS_TITLES[errorClass] ?? `The request failed (${errorClass})`;
