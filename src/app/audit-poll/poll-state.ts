import { z } from 'zod';

/** KVS keys of the audit-records poll. */
export const POLL_STATE_KEY = 'audit-poll:state';
export const INSTALLED_AT_KEY = 'app:installed-at';

/**
 * Where the poll stands. `from` is inclusive in Jira's API, so the ids of the records at exactly `from`
 * are kept to skip them next time. A window cut short by the time limit or a 429 is resumed at its
 * offset; `seenIds` makes the overlap that page shifts can cause harmless.
 */
export const pollStateSchema = z.object({
  from: z.string(),
  boundaryIds: z.array(z.string()),
  window: z
    .object({
      from: z.string(),
      to: z.string().optional(),
      offset: z.number().int().nonnegative(),
      seenIds: z.array(z.string()),
      maxCreated: z.string().optional(),
      maxIds: z.array(z.string()),
      backfill: z.boolean(),
    })
    .optional(),
  /** A backfill an admin asked for: records in [from, to) delivered once, before the live window. */
  backfill: z.object({ from: z.string(), to: z.string() }).optional(),
  notBefore: z.string().optional(),
  lastPolledAt: z.string().optional(),
  lastError: z.string().optional(),
  delivered: z.number().int().nonnegative().default(0),
});
export type PollState = z.infer<typeof pollStateSchema>;
