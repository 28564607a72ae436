import type { ReactNode } from 'react';
import { token } from '@atlaskit/tokens';
import type { CreateStep } from './CreateSteps';
import { Heading } from './ui';

/**
 * One titled part of the webhook form: a fieldset whose legend is the h2 the page outline needs. `step`
 * ties it to a step of the create flow (CreateSteps), which moves to it and follows where focus is.
 */
export function FormSection(props: { title: string; step?: CreateStep; children: ReactNode }) {
  return (
    <fieldset
      data-step={props.step}
      style={{
        border: 0,
        borderTop: `1px solid ${token('color.border')}`,
        margin: `${token('space.300')} 0 0`,
        padding: `${token('space.200')} 0 0`,
        minWidth: 0,
      }}
    >
      <legend style={{ padding: 0, float: 'left', width: '100%' }}>
        <Heading level={2} size={3}>{props.title}</Heading>
      </legend>
      <div style={{ clear: 'both' }}>{props.children}</div>
    </fieldset>
  );
}
