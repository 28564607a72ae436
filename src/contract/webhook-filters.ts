import { z } from 'zod';
import { checkFilters, type WebhookFilters } from '../domain/webhook/event-filters';
import { text } from './fields';

/**
 * webhooks.create/update `filters`: { projects?, issueTypes?, actors? }, each { include?, exclude? } lists
 * of text. The domain rules (project key format, sizes, a value both included and excluded) run here, so
 * the admin page shows the same messages; the parsed value is the stored one (keys upper case, trimmed,
 * without duplicates), or undefined when no list has a value.
 */
const filterListSchema = z.strictObject(
  {
    include: z.array(text('a value to include'), { error: 'Send include as a list of texts.' }).optional(),
    exclude: z.array(text('a value to exclude'), { error: 'Send exclude as a list of texts.' }).optional(),
  },
  { error: 'Send each filter as { include?: [...], exclude?: [...] }.' },
);

export const filtersSchema = z
  .strictObject(
    { projects: filterListSchema.optional(), issueTypes: filterListSchema.optional(), actors: filterListSchema.optional() },
    { error: 'Send filters as { projects?, issueTypes?, actors? }, each { include?: [...], exclude?: [...] }.' },
  )
  .superRefine((filters, ctx) => {
    // Paths from the domain start at "filters"; zod adds the field's own name.
    for (const problem of checkFilters(filters as WebhookFilters).problems) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path.slice(1) });
  })
  .transform((filters): WebhookFilters | undefined => checkFilters(filters as WebhookFilters).normalised);

export type FiltersInput = z.input<typeof filtersSchema>;
