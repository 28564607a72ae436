import Lozenge from '@atlaskit/lozenge';
import { token } from '@atlaskit/tokens';
import { formatDuration, formatHeaders, prettyBody } from './format';
import { Code, Inline, Stack, Subtle } from './ui';
import type { HttpRequestView, HttpResponseView } from './types';

export function StatusLozenge(props: { status: number }) {
  const ok = props.status >= 200 && props.status < 300;
  return <Lozenge appearance={ok ? 'success' : 'removed'}>HTTP {props.status}</Lozenge>;
}

/** A request exactly as sent (secrets already redacted by the backend). */
export function RequestView(props: { request: HttpRequestView; label?: string }) {
  const { request } = props;
  return (
    <Stack gap="small">
      <code aria-label={`${props.label ?? 'Request'} line`} style={{ font: token('font.code'), wordBreak: 'break-all' }}>
        <strong>{request.method}</strong> {request.url}
      </code>
      <Subtle small>Headers</Subtle>
      <Code label={`${props.label ?? 'Request'} headers`}>{formatHeaders(request.headers)}</Code>
      {request.body !== undefined ? (
        <>
          <Subtle small>Body</Subtle>
          <Code label={`${props.label ?? 'Request'} body`}>{prettyBody(request.body)}</Code>
        </>
      ) : null}
    </Stack>
  );
}

export function ResponseView(props: { response: HttpResponseView; durationMs?: number; label?: string }) {
  const { response } = props;
  const duration = props.durationMs ?? response.durationMs;
  return (
    <Stack gap="small">
      <Inline>
        <StatusLozenge status={response.status} />
        {duration !== undefined ? <Subtle small>in {formatDuration(duration)}</Subtle> : null}
      </Inline>
      <Subtle small>Headers</Subtle>
      <Code label={`${props.label ?? 'Response'} headers`}>{formatHeaders(response.headers)}</Code>
      <Subtle small>Body{response.truncated ? ' (truncated)' : ''}</Subtle>
      <Code label={`${props.label ?? 'Response'} body`}>{prettyBody(response.body)}</Code>
    </Stack>
  );
}
