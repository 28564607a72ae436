import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import type { ApiError } from './types';

/** Shown instead of the page when the current user is not a Jira site admin. */
export function ForbiddenPage() {
  return (
    <SectionMessage appearance="warning" title="Only Jira site admins can manage Audit Webhooks">
      <p>
        Audit Webhooks sends your site&apos;s audit log to Slack and security tools, so its settings are
        limited to Jira site admins. Ask a site admin to add you to the site-admins group, or to make the
        change for you.
      </p>
    </SectionMessage>
  );
}

/** A failed call: the message says what happened; UNAVAILABLE also gets a retry. */
export function ApiErrorMessage(props: { error: ApiError; onRetry?: () => void; title?: string }) {
  const { error } = props;
  const unavailable = error.code === 'UNAVAILABLE';
  return (
    <SectionMessage
      appearance={unavailable ? 'warning' : 'error'}
      title={props.title ?? (unavailable ? 'Audit Webhooks is not reachable right now' : 'Something went wrong')}
      actions={props.onRetry ? [<Button key="retry" onClick={props.onRetry}>Try again</Button>] : undefined}
    >
      <p>{error.message}</p>
      {unavailable ? <p>This is usually temporary. Wait a few seconds and try again.</p> : null}
    </SectionMessage>
  );
}
