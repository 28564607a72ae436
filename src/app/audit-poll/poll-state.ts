import { z } from 'zod';

/** KVS keys of the audit-records poll. */
export const POLL_STATE_KEY = 'audit-poll:state';
export const INSTALLED_AT_KEY = 'app:installed-at';

const rangeSchema = z.object({ from: z.string(), to: z.string() });

/**
 * Where the poll stands.
 *
 * - `liveStart`: where live polling began (the install; never moves): nothing older is read unless an
 *   admin asks for a backfill.
 * - `from`: the live cursor, the end (`to`) of the last completed live window. The next window reads
 *   again from a few minutes before it (Jira's `from` is inclusive, and a record may show up in the log
 *   a little after its `created` time); `recent` holds the ids already delivered from that overlap.
 * - `coveredFrom`: the oldest instant whose records were asked for (live or backfill): a backfill only
 *   reads what is older, so asking twice delivers nothing twice.
 * - `window`: the read in progress, with a fixed `to` so that offset paging is stable; a window cut
 *   short by the time limit, a 429 or a refusal is resumed at its offset, and `seenIds` makes any
 *   overlap from shifted pages harmless.
 */
export const pollStateSchema = z.object({
  from: z.string(),
  liveStart: z.string().optional(),
  coveredFrom: z.string().optional(),
  /** [record id, created ms] of records delivered from the live overlap */
  recent: z.array(z.tuple([z.string(), z.number()])).default([]),
  /** Earlier versions kept the ids at exactly `from`; read as `recent` at `from`. */
  boundaryIds: z.array(z.string()).optional(),
  window: z
    .object({
      from: z.string(),
      to: z.string().optional(),
      offset: z.number().int().nonnegative(),
      seenIds: z.array(z.string()),
      /** [record id, created ms] of records read in this window that fall in the next window's overlap */
      overlap: z.array(z.tuple([z.string(), z.number()])).default([]),
      maxCreated: z.string().optional(),
      maxIds: z.array(z.string()).optional(),
      backfill: z.boolean(),
    })
    .optional(),
  /** Backfills an admin asked for: records in [from, to) delivered once, before the live window. */
  backfills: z.array(rangeSchema).default([]),
  /** Earlier versions: one pending backfill. */
  backfill: rangeSchema.optional(),
  notBefore: z.string().optional(),
  lastPolledAt: z.string().optional(),
  lastError: z.string().optional(),
  delivered: z.number().int().nonnegative().default(0),
});
export type PollState = z.infer<typeof pollStateSchema>;
