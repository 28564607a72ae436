/**
 * The Activity tab: deliveries per hour by outcome (stacked bars) and mean latency per hour (a line), over
 * the last 24 hours or 7 days, for every webhook or one. Built from deliveries.stats (hourly aggregates),
 * coloured with Atlaskit's chart tokens so it reads in light and dark, and told in words too: a summary of
 * the totals beside each chart and the hours as a table for screen readers and anyone who would rather read.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import Button from '@atlaskit/button/new';
import Select from '@atlaskit/select';
import { token } from '@atlaskit/tokens';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from './api';
import { ApiErrorMessage } from './ErrorStates';
import { pluralize } from './format';
import { EmptyState, FormField, Heading, Inline, Loading, Panel, Stack, Subtle } from './ui';
import type { ApiError, DeliveryStatsView, StatsBucketView, WebhookView } from './types';

type Hours = 24 | 168;
const RANGES: { hours: Hours; label: string }[] = [
  { hours: 24, label: '24 hours' },
  { hours: 168, label: '7 days' },
];
const ALL = '';

interface Option {
  label: string;
  value: string;
}

/** One outcome as the charts draw it: the series key, its name and its token colour. */
const OUTCOMES = [
  { key: 'delivered', name: 'Delivered', color: token('color.chart.success.bold') },
  { key: 'retried', name: 'Retried', color: token('color.chart.warning.bold') },
  { key: 'failed', name: 'Failed', color: token('color.chart.danger.bold') },
] as const;
const LATENCY_COLOR = token('color.chart.information.bold');

interface Point extends StatsBucketView {
  /** Mean request duration in ms, null where nothing was sent (the line breaks there). */
  latencyMs: number | null;
}

export interface ActivityTotals {
  delivered: number;
  retried: number;
  failed: number;
  attempts: number;
  /** Mean over every request of the range; undefined when none was sent. */
  meanLatencyMs?: number;
}

export function activityTotals(buckets: readonly StatsBucketView[]): ActivityTotals {
  let delivered = 0;
  let retried = 0;
  let failed = 0;
  let durationMsSum = 0;
  let durationCount = 0;
  for (const b of buckets) {
    delivered += b.delivered;
    retried += b.retried;
    failed += b.failed;
    durationMsSum += b.durationMsSum;
    durationCount += b.durationCount;
  }
  return {
    delivered,
    retried,
    failed,
    attempts: delivered + retried + failed,
    ...(durationCount > 0 ? { meanLatencyMs: Math.round(durationMsSum / durationCount) } : {}),
  };
}

const numbers = new Intl.NumberFormat();
const formatMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${numbers.format(ms)} ms`);
const hourLabel = (iso: string): string => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
const dayLabel = (iso: string): string => new Date(iso).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric' });
const fullLabel = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** Totals in words: what the charts say, for the summary line and the charts' accessible descriptions. */
export function describeTotals(totals: ActivityTotals): string {
  const counts = `${numbers.format(totals.delivered)} delivered, ${numbers.format(totals.retried)} retried, ${numbers.format(totals.failed)} failed`;
  const latency = totals.meanLatencyMs === undefined ? 'no requests sent' : `mean latency ${formatMs(totals.meanLatencyMs)}`;
  return `${counts} (${numbers.format(totals.attempts)} ${totals.attempts === 1 ? 'attempt' : 'attempts'}); ${latency}.`;
}

type Load = { state: 'loading' } | { state: 'failed'; error: ApiError } | { state: 'ready'; stats: DeliveryStatsView };

export function ActivityTab(props: { webhooks: WebhookView[] }) {
  const [hours, setHours] = useState<Hours>(24);
  const [webhookId, setWebhookId] = useState<string>(ALL);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  // Only the latest request may draw: an admin switching webhooks quickly must not see an older answer last.
  const latest = useRef(0);

  const refresh = useCallback(async () => {
    const request = ++latest.current;
    setLoad({ state: 'loading' });
    const result = await api.deliveryStats({ hours, ...(webhookId ? { webhookId } : {}) });
    if (request !== latest.current) return;
    setLoad(result.ok ? { state: 'ready', stats: result.data } : { state: 'failed', error: result.error });
  }, [hours, webhookId]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const webhookOptions: Option[] = useMemo(
    () => [{ label: 'All webhooks', value: ALL }, ...props.webhooks.map((w) => ({ label: w.name, value: w.id }))],
    [props.webhooks],
  );
  const rangeLabel = hours === 24 ? 'the last 24 hours' : 'the last 7 days';
  const scope = webhookOptions.find((o) => o.value === webhookId)?.label ?? 'All webhooks';

  return (
    <Stack>
      <Inline spread align="end">
        <div>
          <Heading level={2}>Activity</Heading>
          <Subtle>Deliveries per hour by outcome, and how long endpoints took to answer.</Subtle>
        </div>
        <Button onClick={() => void refresh()}>Refresh</Button>
      </Inline>
      <Inline align="end">
        <div style={{ flex: '0 1 280px' }}>
          <FormField id="activity-webhook" label="Webhook">
            <Select<Option>
              inputId="activity-webhook"
              options={webhookOptions}
              value={webhookOptions.find((o) => o.value === webhookId)}
              onChange={(o) => setWebhookId(o ? o.value : ALL)}
            />
          </FormField>
        </div>
        <div role="group" aria-label="Time range" style={{ display: 'flex', gap: token('space.050') }}>
          {RANGES.map((r) => (
            <Button key={r.hours} isSelected={r.hours === hours} aria-pressed={r.hours === hours} onClick={() => setHours(r.hours)}>
              {r.label}
            </Button>
          ))}
        </div>
      </Inline>
      {load.state === 'loading' ? (
        <Loading label="Loading activity" />
      ) : load.state === 'failed' ? (
        <ApiErrorMessage error={load.error} onRetry={() => void refresh()} />
      ) : (
        <ActivityCharts stats={load.stats} scope={scope} rangeLabel={rangeLabel} hasWebhooks={props.webhooks.length > 0} />
      )}
    </Stack>
  );
}

function ActivityCharts(props: { stats: DeliveryStatsView; scope: string; rangeLabel: string; hasWebhooks: boolean }) {
  const { buckets } = props.stats;
  const weekly = props.stats.hours > 24;
  const totals = activityTotals(buckets);
  const points: Point[] = useMemo(
    () => buckets.map((b) => ({ ...b, latencyMs: b.durationCount > 0 ? Math.round(b.durationMsSum / b.durationCount) : null })),
    [buckets],
  );
  const ids = useId();

  if (totals.attempts === 0) {
    return (
      <div data-testid="activity-empty">
        <EmptyState title={`Nothing sent in ${props.rangeLabel}`}>
          {props.hasWebhooks
            ? `No delivery was attempted for ${props.scope === 'All webhooks' ? 'any webhook' : props.scope} in ${props.rangeLabel}. Charts appear here once Jira events are delivered.`
            : 'Add a webhook on the Webhooks tab: its deliveries appear here hour by hour.'}
        </EmptyState>
      </div>
    );
  }

  const summary = describeTotals(totals);
  // A week: a tick per local midnight; a day: recharts picks hourly ticks that fit.
  const ticks = weekly ? points.filter((p) => new Date(p.hour).getHours() === 0).map((p) => p.hour) : undefined;
  const axisTick = { fill: token('color.text.subtle'), fontSize: 12 };
  const tooltipStyle = {
    contentStyle: {
      background: token('elevation.surface.overlay'),
      border: `1px solid ${token('color.border')}`,
      borderRadius: token('radius.small'),
      color: token('color.text'),
    },
    labelStyle: { color: token('color.text') },
    cursor: { fill: token('color.background.neutral.subtle.hovered') },
  };
  const xAxis = (
    <XAxis
      dataKey="hour"
      ticks={ticks}
      tickFormatter={weekly ? dayLabel : hourLabel}
      tick={axisTick}
      stroke={token('color.border')}
      minTickGap={16}
    />
  );

  return (
    <Stack>
      <p data-testid="activity-totals" role="status" style={{ margin: 0 }}>
        <strong>
          {props.scope}, {props.rangeLabel}:
        </strong>{' '}
        {summary}
      </p>
      <Panel label="Deliveries per hour">
        <figure style={{ margin: 0 }} aria-labelledby={`${ids}-deliveries`} aria-describedby={`${ids}-deliveries-summary`}>
          <figcaption>
            <Heading level={3} id={`${ids}-deliveries`}>
              Deliveries per hour
            </Heading>
            <Subtle small>
              <span id={`${ids}-deliveries-summary`}>
                {props.scope}, {props.rangeLabel}: {numbers.format(totals.delivered)} delivered, {numbers.format(totals.retried)} retried,{' '}
                {numbers.format(totals.failed)} failed.
              </span>
            </Subtle>
          </figcaption>
          <div style={{ width: '100%', height: 260 }} data-testid="deliveries-chart">
            <ResponsiveContainer>
              <BarChart data={points} margin={{ top: 16, right: 16, bottom: 0, left: 0 }} title="Deliveries per hour by outcome" desc={summary}>
                <CartesianGrid vertical={false} stroke={token('color.border')} />
                {xAxis}
                <YAxis allowDecimals={false} tick={axisTick} stroke={token('color.border')} width={40} />
                <Tooltip labelFormatter={(label) => fullLabel(String(label))} {...tooltipStyle} />
                <Legend itemSorter={null} wrapperStyle={{ color: token('color.text') }} />
                {OUTCOMES.map((o) => (
                  <Bar key={o.key} dataKey={o.key} name={o.name} stackId="outcome" fill={o.color} isAnimationActive={false} />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
        </figure>
      </Panel>
      <Panel label="Mean latency per hour">
        <figure style={{ margin: 0 }} aria-labelledby={`${ids}-latency`} aria-describedby={`${ids}-latency-summary`}>
          <figcaption>
            <Heading level={3} id={`${ids}-latency`}>
              Mean latency per hour
            </Heading>
            <Subtle small>
              <span id={`${ids}-latency-summary`}>
                {totals.meanLatencyMs === undefined
                  ? 'No request was sent.'
                  : `Mean over ${props.rangeLabel}: ${formatMs(totals.meanLatencyMs)}. Hours without requests are left blank.`}
              </span>
            </Subtle>
          </figcaption>
          <div style={{ width: '100%', height: 200 }} data-testid="latency-chart">
            <ResponsiveContainer>
              <LineChart
                data={points}
                margin={{ top: 16, right: 16, bottom: 0, left: 0 }}
                title="Mean latency per hour"
                desc={totals.meanLatencyMs === undefined ? 'No request was sent.' : `Mean latency ${formatMs(totals.meanLatencyMs)}.`}
              >
                <CartesianGrid vertical={false} stroke={token('color.border')} />
                {xAxis}
                <YAxis tick={axisTick} stroke={token('color.border')} width={56} tickFormatter={(v: number) => formatMs(v)} />
                <Tooltip
                  labelFormatter={(label) => fullLabel(String(label))}
                  formatter={(value) => (typeof value === 'number' ? formatMs(value) : '—')}
                  {...tooltipStyle}
                  cursor={{ stroke: token('color.border.bold') }}
                />
                <Line
                  type="monotone"
                  dataKey="latencyMs"
                  name="Mean latency"
                  stroke={LATENCY_COLOR}
                  strokeWidth={2}
                  dot={weekly ? false : { r: 3, fill: LATENCY_COLOR }}
                  connectNulls={false}
                  isAnimationActive={false}
                />
              </LineChart>
            </ResponsiveContainer>
          </div>
        </figure>
      </Panel>
      <HoursTable points={points} />
    </Stack>
  );
}

/** The hours with any attempt, as a table: the charts' data for screen readers and for reading exact numbers. */
function HoursTable(props: { points: Point[] }) {
  const rows = props.points.filter((p) => p.delivered + p.retried + p.failed > 0);
  const cell = { padding: `${token('space.050')} ${token('space.100')}`, textAlign: 'right' as const, borderBottom: `1px solid ${token('color.border')}` };
  return (
    <details>
      <summary style={{ cursor: 'pointer', color: token('color.link') }}>
        Show as a table ({pluralize(rows.length, 'hour')} with deliveries)
      </summary>
      <table aria-label="Deliveries per hour" style={{ borderCollapse: 'collapse', marginTop: token('space.100') }}>
        <thead>
          <tr>
            <th scope="col" style={{ ...cell, textAlign: 'left' }}>
              Hour starting
            </th>
            {OUTCOMES.map((o) => (
              <th key={o.key} scope="col" style={cell}>
                {o.name}
              </th>
            ))}
            <th scope="col" style={cell}>
              Mean latency
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.hour} data-hour={p.hour}>
              <th scope="row" style={{ ...cell, textAlign: 'left', fontWeight: 'normal' }}>
                {fullLabel(p.hour)}
              </th>
              {OUTCOMES.map((o) => (
                <td key={o.key} style={cell}>
                  {numbers.format(p[o.key])}
                </td>
              ))}
              <td style={cell}>{p.latencyMs === null ? '—' : formatMs(p.latencyMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
