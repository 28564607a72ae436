import { useState } from 'react';
import Button from '@atlaskit/button/new';
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

/**
 * Headers or a body with a copy button, in a scrollable region that takes keyboard focus (so a keyboard
 * user can scroll a long body: axe's scrollable-region-focusable).
 */
export function CopyableBlock(props: { label: string; text: string; maxHeight?: number }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setCopied('copied');
    } catch {
      // Jira's frame may not grant clipboard access: the text stays selectable.
      setCopied('failed');
    }
  };
  return (
    <Stack gap="small">
      <Inline spread>
        <Subtle small>{props.label}</Subtle>
        <Inline gap="small">
          <span role="status" style={{ font: token('font.body.small'), color: token('color.text.subtle') }}>
            {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Copy is blocked here: select the text instead' : ''}
          </span>
          <Button spacing="compact" onClick={() => void copy()} aria-label={`Copy ${props.label.toLowerCase()}`}>
            Copy
          </Button>
        </Inline>
      </Inline>
      <div
        role="region"
        aria-label={props.label}
        tabIndex={0}
        style={{
          background: token('color.background.neutral'),
          borderRadius: token('radius.small'),
          maxHeight: props.maxHeight ?? 360,
          overflow: 'auto',
        }}
      >
        <pre
          style={{
            font: token('font.code'),
            color: token('color.text'),
            padding: token('space.100'),
            margin: 0,
            whiteSpace: 'pre-wrap',
            wordBreak: 'break-all',
          }}
        >
          {props.text}
        </pre>
      </div>
    </Stack>
  );
}
