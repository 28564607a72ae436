import type { ReactNode } from 'react';
import { token } from '@atlaskit/tokens';
import { sentenceCase } from './format';
import type { DeliveryStatus } from './types';

type Tone = 'success' | 'danger' | 'information' | 'neutral' | 'discovery';

const TONES: Record<Tone, { background: string; color: string }> = {
  success: { background: token('color.background.success'), color: token('color.text.success') },
  danger: { background: token('color.background.danger'), color: token('color.text.danger') },
  information: { background: token('color.background.information'), color: token('color.text.information') },
  neutral: { background: token('color.background.neutral'), color: token('color.text') },
  discovery: { background: token('color.background.discovery'), color: token('color.text.discovery') },
};

/**
 * A lozenge in sentence case. Atlaskit's Lozenge shows its text in capitals, which the delivery log's
 * statuses should not shout; this keeps Lozenge's shape and colour tokens.
 */
export function Badge(props: { tone: Tone; children: ReactNode }) {
  const { background, color } = TONES[props.tone];
  return (
    <span
      style={{
        display: 'inline-block',
        background,
        color,
        borderRadius: token('radius.small'),
        padding: `0 ${token('space.050')}`,
        font: token('font.body.small'),
        fontWeight: token('font.weight.bold'),
        whiteSpace: 'nowrap',
      }}
    >
      {props.children}
    </span>
  );
}

const STATUS_TONES: Record<DeliveryStatus, Tone> = { pending: 'information', delivered: 'success', failed: 'danger', skipped: 'neutral' };

export function DeliveryStatusBadge(props: { status: DeliveryStatus }) {
  return <Badge tone={STATUS_TONES[props.status]}>{sentenceCase(props.status)}</Badge>;
}

const OUTCOME_TONES = { delivered: 'success', retry: 'information', failed: 'danger' } as const;
const OUTCOME_TEXT = { delivered: 'Delivered', retry: 'Retried', failed: 'Failed' } as const;

export function AttemptOutcomeBadge(props: { outcome: keyof typeof OUTCOME_TONES }) {
  return <Badge tone={OUTCOME_TONES[props.outcome]}>{OUTCOME_TEXT[props.outcome]}</Badge>;
}
