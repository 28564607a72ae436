import { token } from '@atlaskit/tokens';

export type CreateStep = 'destination' | 'events' | 'security' | 'test';

const STEPS: { key: CreateStep; label: string; hint: string }[] = [
  { key: 'destination', label: 'Destination', hint: 'Where to send' },
  { key: 'events', label: 'Events', hint: 'What to send' },
  { key: 'security', label: 'Security', hint: 'Sign and authorize' },
  { key: 'test', label: 'Test', hint: 'Check it arrives' },
];

/**
 * The create flow's steps (Destination, Events, Security, Test) as an ordered list: where the admin is
 * (aria-current="step") and what is done. A step is a button that moves to its section, so the form
 * stays one page an admin can scroll and yet guides the order. The Test step is reached after creating.
 */
export function CreateSteps(props: { current: CreateStep; done: Record<CreateStep, boolean>; onGo?: (step: CreateStep) => void }) {
  return (
    <nav aria-label="Steps to create a webhook" style={{ marginBottom: token('space.200') }}>
      <ol style={{ display: 'flex', flexWrap: 'wrap', gap: token('space.100'), listStyle: 'none', margin: 0, padding: 0 }}>
        {STEPS.map((step, index) => {
          const current = step.key === props.current;
          const done = props.done[step.key] && !current;
          const status = current ? 'current step' : done ? 'done' : step.key === 'test' ? 'after creating' : 'to do';
          const content = (
            <>
              <span
                aria-hidden
                style={{
                  display: 'inline-flex',
                  alignItems: 'center',
                  justifyContent: 'center',
                  width: 24,
                  height: 24,
                  flex: '0 0 auto',
                  borderRadius: '50%',
                  font: token('font.body.small'),
                  fontWeight: token('font.weight.bold'),
                  color: current || done ? token('color.text.inverse') : token('color.text.subtle'),
                  background: current ? token('color.background.brand.bold') : done ? token('color.background.success.bold') : token('color.background.neutral'),
                }}
              >
                {done ? '✓' : index + 1}
              </span>
              <span style={{ display: 'flex', flexDirection: 'column', textAlign: 'start' }}>
                <span style={{ fontWeight: current ? token('font.weight.bold') : undefined, color: token('color.text') }}>{step.label}</span>
                <span style={{ font: token('font.body.small'), color: token('color.text.subtle') }}>
                  {step.hint}
                  <span style={visuallyHidden}>, {status}</span>
                </span>
              </span>
            </>
          );
          const boxStyle = {
            display: 'flex',
            alignItems: 'center',
            gap: token('space.100'),
            padding: `${token('space.050')} ${token('space.100')}`,
            borderRadius: token('radius.medium'),
            border: `1px solid ${current ? token('color.border.selected') : 'transparent'}`,
            background: 'none',
            font: token('font.body'),
          } as const;
          return (
            <li key={step.key} aria-current={current ? 'step' : undefined} data-step-state={current ? 'current' : done ? 'done' : 'todo'} style={{ flex: '1 1 150px' }}>
              {props.onGo && step.key !== 'test' ? (
                <button type="button" onClick={() => props.onGo?.(step.key)} style={{ ...boxStyle, cursor: 'pointer', width: '100%' }}>
                  {content}
                </button>
              ) : (
                <div style={boxStyle}>{content}</div>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;
