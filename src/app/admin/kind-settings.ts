import type { DestinationModule, SettingValue, Settings } from '../../domain/destinations/contract';
import type { Problems } from './problems';

/** A kind's settings as stored: non-secret values with the record, secret ones in the material. */
export interface StoredSettings {
  settings: Record<string, SettingValue>;
  /** Keys of the secret settings that are set. */
  secretKeys: string[];
  credentials: Record<string, string>;
}

const isSecret = (kind: DestinationModule, key: string): boolean => kind.fields.some((field) => field.key === key && field.type === 'secret');

/** The settings the kind's rules see: stored values (secrets included) with the input applied over them. */
export const mergedSettings = (stored: { settings?: Record<string, SettingValue>; credentials?: Record<string, string> }): Settings => ({
  ...(stored.settings ?? {}),
  ...(stored.credentials ?? {}),
});

/**
 * Checks a kind's settings by its schema and splits them for storage. `given` is the create input, or an
 * update's changes (null clears a setting; a key left out keeps its stored value, which is how a secret
 * setting stays without the admin page ever knowing it). Problems land under settings.<key>.
 */
export function planSettings(
  problems: Problems,
  kind: DestinationModule,
  given: Readonly<Record<string, SettingValue | null>> | undefined,
  stored?: { settings?: Record<string, SettingValue>; credentials?: Record<string, string> },
): StoredSettings | undefined {
  const input: Record<string, SettingValue> = { ...(stored ? mergedSettings(stored) : {}) };
  for (const [key, value] of Object.entries(given ?? {})) {
    if (value === null) delete input[key];
    else input[key] = value;
  }
  const parsed = kind.settingsSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [issue.path[0]];
      for (const key of keys) {
        const message =
          issue.code === 'unrecognized_keys'
            ? `Remove ${String(key)}: ${kind.label} has no such setting (it has ${kind.fields.map((field) => field.key).join(', ') || 'none'}).`
            : issue.message;
        problems.add(key === undefined ? ['settings'] : ['settings', String(key)], message);
      }
    }
    return undefined;
  }
  const settings: Record<string, SettingValue> = {};
  const credentials: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed.data)) {
    if (isSecret(kind, key)) credentials[key] = String(value);
    else settings[key] = value;
  }
  return { settings, secretKeys: Object.keys(credentials).sort(), credentials };
}

/** Events per request: only for kinds that batch, up to the kind's maximum. */
export function checkBatchEvents(problems: Problems, kind: DestinationModule, batchEvents: number | null | undefined): void {
  if (batchEvents === undefined || batchEvents === null) return;
  if (!kind.batch) {
    problems.add(['batchEvents'], `Remove batchEvents: ${kind.label} sends one event per request.`);
  } else if (batchEvents > kind.batch.maxEvents) {
    problems.add(['batchEvents'], `Use at most ${kind.batch.maxEvents} events per request for ${kind.label}.`);
  }
}
