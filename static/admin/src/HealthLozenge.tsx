import Lozenge from '@atlaskit/lozenge';
import { formatDateTime } from './format';
import { Subtle } from './ui';
import type { WebhookView } from './types';

/** Healthy, failing since…, or disabled with its reason (turned off by an admin, or by the app). */
export function HealthLozenge(props: { webhook: WebhookView }) {
  const { health, enabled } = props.webhook;
  if (health.state === 'healthy' && enabled) return <Lozenge appearance="success">Healthy</Lozenge>;
  const failing = health.state === 'failing' && enabled;
  const detail = failing
    ? [health.since ? `since ${formatDateTime(health.since)}` : '', health.reason ?? ''].filter(Boolean).join(': ')
    : (health.reason ?? (enabled ? '' : 'Turned off'));
  return (
    <div>
      <Lozenge appearance={failing ? 'removed' : 'default'}>{failing ? 'Failing' : 'Disabled'}</Lozenge>
      {detail ? (
        <div>
          <Subtle small>{detail}</Subtle>
        </div>
      ) : null}
    </div>
  );
}
