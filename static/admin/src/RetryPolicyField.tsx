import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import type { RetryDraft, RetryMode } from './retry-policy-draft';
import { FormField, Inline, Subtle } from './ui';

type ModeOption = { label: string; value: RetryMode };
const MODE_OPTIONS: ModeOption[] = [
  { label: 'Default schedule (up to 9 retries over about 31 hours)', value: 'default' },
  { label: 'Fixed interval', value: 'fixed' },
  { label: 'No retries', value: 'none' },
];

/**
 * How a failed delivery is tried again: the app's default schedule, a fixed interval with a number of
 * retries after the first try (3 retries: 4 tries in all), or none. A permanent failure (e.g. 400) is
 * never retried, and a receiver's Retry-After still wins when it asks for longer. `fields` are the
 * save's problems by path (retryPolicy.intervalSeconds).
 */
export function RetryPolicyField(props: { draft: RetryDraft; onChange: (draft: RetryDraft) => void; fields: Readonly<Record<string, string>> }) {
  const { draft } = props;
  const set = (patch: Partial<RetryDraft>) => props.onChange({ ...draft, ...patch });
  const modeError = props.fields['retryPolicy.mode'] ?? props.fields['retryPolicy'];
  return (
    <>
      <FormField id="wh-retry-mode" label="Retry policy" error={modeError} helper="Failures the receiver may recover from (5xx, 429, timeouts) are retried; a 4xx answer is final.">
        <Select<ModeOption>
          inputId="wh-retry-mode"
          options={MODE_OPTIONS}
          value={MODE_OPTIONS.find((o) => o.value === draft.mode)}
          onChange={(o) => o && set({ mode: o.value })}
          isSearchable={false}
        />
      </FormField>
      {draft.mode === 'fixed' ? (
        <Inline align="start" wrap>
          <div style={{ flex: '1 1 200px' }}>
            <FormField id="wh-retry-interval" label="Seconds between retries" helper="10 to 86400 (one day)" error={props.fields['retryPolicy.intervalSeconds']}>
              <Textfield id="wh-retry-interval" name="wh-retry-interval" inputMode="numeric" value={draft.intervalSeconds} onChange={(e) => set({ intervalSeconds: e.currentTarget.value })} />
            </FormField>
          </div>
          <div style={{ flex: '1 1 200px' }}>
            <FormField id="wh-retry-count" label="Retries after the first try" helper="1 to 20; 3 retries make 4 tries in all" error={props.fields['retryPolicy.retries']}>
              <Textfield id="wh-retry-count" name="wh-retry-count" inputMode="numeric" value={draft.retries} onChange={(e) => set({ retries: e.currentTarget.value })} />
            </FormField>
          </div>
        </Inline>
      ) : null}
      {draft.mode === 'none' ? <Subtle small>A failed delivery stays failed; you can retry it from the delivery log.</Subtle> : null}
    </>
  );
}
