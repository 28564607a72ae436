import { z } from 'zod';
import { flag, inputObject, wholeNumber } from './fields';

/** settings.*: whether the audit-records poll runs, and how far back a first poll reaches. */
export const BACKFILL_MAX_DAYS = 30;

export const updateSettingsInputSchema = inputObject({
  version: z.int({ error: 'Send the version you last read (settings.version), so concurrent edits are not lost.' }).min(1, { error: 'Send the version you last read (settings.version).' }),
  auditPoll: z.strictObject({ enabled: flag('the audit log is polled') }, { error: 'Send auditPoll as { enabled: true } or { enabled: false }.' }).optional(),
  backfillDays: wholeNumber('the backfill in days', 0, BACKFILL_MAX_DAYS).optional(),
});

export type UpdateSettingsInput = z.input<typeof updateSettingsInputSchema>;

export interface SettingsView {
  version: number;
  auditPoll: { enabled: boolean; lastPolledAt?: string; cursor?: string; lastError?: string };
  installedAt: string;
}
