import { useCallback, useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import SectionMessage from '@atlaskit/section-message';
import { token } from '@atlaskit/tokens';
import { api } from './api';
import { ApiErrorMessage } from './ErrorStates';
import { formatDateTime } from './format';
import { EmptyState, Heading, Inline, Loading, Stack, Subtle } from './ui';
import type { ApiError, SetAsideStageView, SetAsideView } from './types';

const PAGE_SIZE = 25;

/** Where the pipeline gave up on an event (docs/events.md, "Poison isolation"), in an admin's words. */
const STAGES: Record<SetAsideStageView, { label: string; hint: string }> = {
  trigger: { label: 'Not readable', hint: 'The app could not read the event Jira sent.' },
  outbox: { label: 'Not stored', hint: 'The app storage refused the event.' },
  batch: { label: 'Not batched', hint: 'The event did not fit a delivery batch.' },
  render: { label: 'Not rendered', hint: 'The event could not be turned into a webhook message.' },
};

type Load = { state: 'loading' } | { state: 'failed'; error: ApiError } | { state: 'ready' };

/** The events the pipeline set aside instead of letting them block the others (events.setAside), newest first. */
export function SetAsideLog() {
  const [entries, setEntries] = useState<SetAsideView[]>([]);
  const [nextCursor, setNextCursor] = useState<string | undefined>(undefined);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    setLoad({ state: 'loading' });
    setMoreError(null);
    const result = await api.listSetAside({ limit: PAGE_SIZE });
    if (!result.ok) {
      setLoad({ state: 'failed', error: result.error });
      return;
    }
    setEntries(result.data.entries);
    setNextCursor(result.data.nextCursor);
    setLoad({ state: 'ready' });
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    const result = await api.listSetAside({ limit: PAGE_SIZE, cursor: nextCursor });
    setLoadingMore(false);
    if (!result.ok) {
      setMoreError(result.error.message);
      return;
    }
    setEntries((list) => [...list, ...result.data.entries]);
    setNextCursor(result.data.nextCursor);
  };

  return (
    <Stack>
      <Inline spread align="end">
        <div>
          <Heading level={2}>Set aside</Heading>
          <Subtle>
            Events the app could not accept, store, batch or render, newest first, kept 14 days. They were not
            delivered; every other event went on. Webhooks subscribed to <code>app.event.set_aside</code> are told
            of each one.
          </Subtle>
        </div>
        <Button onClick={() => void refresh()}>Refresh</Button>
      </Inline>
      {load.state === 'loading' ? (
        <Loading label="Loading set-aside events" />
      ) : load.state === 'failed' ? (
        <ApiErrorMessage error={load.error} onRetry={() => void refresh()} />
      ) : entries.length === 0 ? (
        <EmptyState title="Nothing set aside">Every event Jira sent was accepted.</EmptyState>
      ) : (
        <table aria-label="Set-aside events" style={{ width: '100%', borderCollapse: 'collapse' }}>
          <thead>
            <tr>
              {['Time', 'Stage', 'Reason', 'Event', 'Subject'].map((h) => (
                <th key={h} scope="col" style={head}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => {
              const type = entry.eventType ?? entry.jiraEventType;
              return (
                <tr key={entry.id} data-set-aside-id={entry.id} style={{ borderBottom: `1px solid ${token('color.border')}` }}>
                  <td style={{ ...cell, whiteSpace: 'nowrap' }}>{formatDateTime(entry.at, true)}</td>
                  <td style={cell} title={STAGES[entry.stage]?.hint}>
                    <Lozenge appearance="removed">{STAGES[entry.stage]?.label ?? entry.stage}</Lozenge>
                  </td>
                  <td style={{ ...cell, wordBreak: 'break-word' }}>{entry.reason}</td>
                  <td style={cell}>
                    {type ? (
                      <code style={{ font: token('font.code') }}>{type}</code>
                    ) : (
                      <Subtle>unknown</Subtle>
                    )}
                    {entry.eventType && entry.jiraEventType ? (
                      <div>
                        <Subtle small>{entry.jiraEventType}</Subtle>
                      </div>
                    ) : null}
                    {entry.eventId ? (
                      <div>
                        <Subtle small>id {entry.eventId}</Subtle>
                      </div>
                    ) : null}
                  </td>
                  <td style={{ ...cell, wordBreak: 'break-word' }}>{entry.subject ?? <Subtle>—</Subtle>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {moreError ? (
        <SectionMessage appearance="error">
          <p>{moreError}</p>
        </SectionMessage>
      ) : null}
      {load.state === 'ready' && nextCursor ? (
        <div style={{ textAlign: 'center' }}>
          <Button onClick={() => void loadMore()} isLoading={loadingMore}>
            Load more
          </Button>
        </div>
      ) : null}
    </Stack>
  );
}

const cell = { padding: token('space.100'), verticalAlign: 'top' } as const;
const head = {
  textAlign: 'left',
  padding: token('space.100'),
  color: token('color.text.subtle'),
  font: token('font.body.small'),
  fontWeight: token('font.weight.bold'),
  borderBottom: `2px solid ${token('color.border')}`,
} as const;
