import Textfield from '@atlaskit/textfield';
import type { FilterDimension } from '../../../src/domain/webhook/event-filters';
import type { FiltersDraft } from './filters-draft';
import { FormField, Inline, Subtle } from './ui';

const ROWS: { dimension: FilterDimension; noun: string; example: string }[] = [
  { dimension: 'projects', noun: 'Projects', example: 'Project keys, e.g. SEC, OPS' },
  { dimension: 'issueTypes', noun: 'Issue types', example: 'Issue type names, e.g. Bug, Task' },
  { dimension: 'actors', noun: 'Actors', example: 'Atlassian account ids, or "app" for the app\'s own events' },
];

/**
 * Which events of the subscribed types the webhook gets: projects, issue types and actors to include or
 * exclude, comma-separated. Filtered events are never queued for the webhook, so they cost no delivery
 * and leave no delivery log entry. `fields` are the save's problems by path (filters.projects.include.1).
 */
export function FiltersField(props: { draft: FiltersDraft; onChange: (draft: FiltersDraft) => void; fields: Readonly<Record<string, string>> }) {
  const under = (prefix: string): string | undefined => Object.entries(props.fields).find(([path]) => path === prefix || path.startsWith(`${prefix}.`))?.[1];
  const set = (dimension: FilterDimension, side: 'include' | 'exclude', text: string) =>
    props.onChange({ ...props.draft, [dimension]: { ...props.draft[dimension], [side]: text } });
  return (
    <>
      <Subtle small>
        Leave empty to get every event of the chosen types. Include: only events with one of these (an event without a project, issue type or actor is left out). Exclude: every
        event except these. Test sends are not filtered.
      </Subtle>
      {ROWS.map(({ dimension, noun, example }) => (
        <Inline key={dimension} align="start" wrap>
          {(['include', 'exclude'] as const).map((side) => {
            const id = `wh-filters-${dimension}-${side}`;
            // A value both included and excluded is a problem of the pair: shown under include.
            const error = under(`filters.${dimension}.${side}`) ?? (side === 'include' ? (props.fields[`filters.${dimension}`] ?? props.fields['filters']) : undefined);
            return (
              <div key={side} style={{ flex: '1 1 220px' }}>
                <FormField id={id} label={`${noun} to ${side}`} helper={example} error={error}>
                  <Textfield id={id} name={id} value={props.draft[dimension][side]} onChange={(e) => set(dimension, side, e.currentTarget.value)} />
                </FormField>
              </div>
            );
          })}
        </Inline>
      ))}
    </>
  );
}
