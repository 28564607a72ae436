import { z } from 'zod';
import { ApiFailure, type SettingsView } from '../../contract';
import type { AuditLogPoll } from '../audit-poll/poll-audit-log';
import { INSTALLED_AT_KEY } from '../audit-poll/poll-state';
import type { Clock, KeyValueStore } from '../ports';

export const SETTINGS_KEY = 'settings';

const storedSettingsSchema = z.object({ version: z.number().int().positive(), auditPoll: z.object({ enabled: z.boolean() }) });
export type StoredSettings = z.infer<typeof storedSettingsSchema>;

const DEFAULT_SETTINGS: StoredSettings = { version: 1, auditPoll: { enabled: true } };

export interface SettingsChange {
  version: number;
  auditPoll?: { enabled: boolean };
  backfillDays?: number;
}

/** App-wide settings: whether the audit-records poll runs, its status, and backfill requests. */
export class Settings {
  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
    private readonly poll: AuditLogPoll,
  ) {}

  async load(): Promise<StoredSettings> {
    const parsed = storedSettingsSchema.safeParse(await this.store.get<unknown>(SETTINGS_KEY));
    return parsed.success ? parsed.data : DEFAULT_SETTINGS;
  }

  async view(): Promise<SettingsView> {
    const settings = await this.load();
    const state = await this.poll.loadState();
    const installedAt = (await this.store.get<string>(INSTALLED_AT_KEY)) ?? state.from;
    return {
      version: settings.version,
      auditPoll: {
        enabled: settings.auditPoll.enabled,
        cursor: state.from,
        ...(state.lastPolledAt ? { lastPolledAt: state.lastPolledAt } : {}),
        ...(state.lastError ? { lastError: state.lastError } : {}),
      },
      installedAt,
    };
  }

  /** Answers the settings before and after, for the app's own audit event. */
  async update(change: SettingsChange): Promise<{ before: StoredSettings; after: StoredSettings }> {
    const before = await this.load();
    if (change.version !== before.version) {
      throw new ApiFailure('CONFLICT', 'Someone else changed the settings meanwhile: reload them and apply your change again.', {
        version: `The current version is ${before.version}.`,
      });
    }
    const after: StoredSettings = { version: before.version + 1, auditPoll: change.auditPoll ?? before.auditPoll };
    await this.store.set(SETTINGS_KEY, after);
    if (change.backfillDays && change.backfillDays > 0) await this.poll.requestBackfill(change.backfillDays);
    return { before, after };
  }
}
