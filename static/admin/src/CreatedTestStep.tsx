import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import { token } from '@atlaskit/tokens';
import { CreateSteps } from './CreateSteps';
import type { WebhookView } from './types';

/**
 * The create flow's last step: the webhook exists, and the admin is offered a test send (the TestModal
 * shows both sides of the exchange) before walking away from a receiver that may refuse everything.
 */
export function CreatedTestStep(props: { webhook: WebhookView; onSendTest: () => void; onDone: () => void }) {
  return (
    <div data-testid="created-test-step">
      <CreateSteps current="test" done={{ destination: true, events: true, security: true, test: false }} />
      <SectionMessage appearance="success" title={`“${props.webhook.name}” created`}>
        <p>
          It receives the events it subscribes to from now on. Send a test event to check that it arrives and that your
          receiver accepts its signature; the exchange is shown in full and kept in the delivery log.
        </p>
      </SectionMessage>
      <div style={{ display: 'flex', flexWrap: 'wrap', justifyContent: 'flex-end', gap: token('space.100'), marginTop: token('space.200') }}>
        <Button appearance="subtle" onClick={props.onDone}>
          Done
        </Button>
        <Button appearance="primary" onClick={props.onSendTest} autoFocus>
          Send a test
        </Button>
      </div>
    </div>
  );
}
