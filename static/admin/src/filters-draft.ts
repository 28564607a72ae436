/**
 * The filters' part of the form's draft: six comma-separated lists (include and exclude for projects,
 * issue types and actors) and what create and update send. The backend checks and normalises each value
 * (src/contract/webhook-filters.ts) and answers problems by path, e.g. filters.projects.include.2.
 */
import type { WebhookFilters, FilterDimension } from '../../../src/domain/webhook/event-filters';
import type { CreateWebhookInput, UpdateWebhookInput, WebhookView } from './types';

export type FiltersDraft = Record<FilterDimension, { include: string; exclude: string }>;

const DIMENSIONS: readonly FilterDimension[] = ['projects', 'issueTypes', 'actors'];

export const filtersDraftFrom = (webhook: WebhookView | undefined): FiltersDraft => {
  const list = (dimension: FilterDimension, side: 'include' | 'exclude'): string => (webhook?.filters?.[dimension]?.[side] ?? []).join(', ');
  return Object.fromEntries(DIMENSIONS.map((d) => [d, { include: list(d, 'include'), exclude: list(d, 'exclude') }])) as FiltersDraft;
};

const values = (text: string): string[] =>
  text
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');

/** The filters the draft says, or undefined when every list is empty. */
export const filtersOf = (draft: FiltersDraft): WebhookFilters | undefined => {
  const filters: WebhookFilters = {};
  for (const dimension of DIMENSIONS) {
    const include = values(draft[dimension].include);
    const exclude = values(draft[dimension].exclude);
    if (include.length > 0 || exclude.length > 0) filters[dimension] = { ...(include.length > 0 ? { include } : {}), ...(exclude.length > 0 ? { exclude } : {}) };
  }
  return Object.keys(filters).length > 0 ? filters : undefined;
};

export const filtersForCreate = (draft: FiltersDraft): Pick<CreateWebhookInput, 'filters'> => {
  const filters = filtersOf(draft);
  return filters ? { filters } : {};
};

/** Sent only when they changed: the new filters, or null when every list was emptied. */
export const filtersForUpdate = (webhook: WebhookView, draft: FiltersDraft): Pick<UpdateWebhookInput, 'filters'> => {
  const filters = filtersOf(draft);
  if (JSON.stringify(filters ?? null) === JSON.stringify(webhook.filters ?? null)) return {};
  return { filters: filters ?? null };
};
