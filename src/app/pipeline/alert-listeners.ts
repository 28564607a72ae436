import type { Clock } from '../ports';

/** How long a runtime trusts its answer: an alert webhook an admin just created hears alerts within a minute. */
export const ALERT_LISTENERS_TTL_SECONDS = 60;

interface Remembered {
  listened: boolean;
  atMs: number;
}

/** Module state outlives invocations in a warm runtime; keys carry the installation, so one site's answer never serves another. */
const runtimeMemory = new Map<string, Remembered>();
const MAX_ENTRIES = 200;

/**
 * Whether any webhook lists an alert type, remembered per installation and type for a minute. The
 * question is asked at every health transition, and transitions come in bursts (many webhooks behind
 * one receiver fail and recover together): one KVS query per type and minute instead of one per
 * transition, which kept a 50-webhook burst inside the KVS rate limit (delivery-throughput test).
 */
export class AlertListeners {
  constructor(
    private readonly deps: {
      clock: Clock;
      /** The installation this invocation serves (platform's installationKey). */
      memoryKey: () => string;
      /** The store's answer: does an enabled webhook list this type? */
      query: (eventType: string) => Promise<boolean>;
      memory?: Map<string, Remembered>;
    },
  ) {}

  async listened(eventType: string): Promise<boolean> {
    const memory = this.deps.memory ?? runtimeMemory;
    const key = `${this.deps.memoryKey()}\n${eventType}`;
    const nowMs = this.deps.clock.now().getTime();
    const known = memory.get(key);
    if (known && nowMs - known.atMs < ALERT_LISTENERS_TTL_SECONDS * 1000) return known.listened;
    const listened = await this.deps.query(eventType);
    if (memory.size >= MAX_ENTRIES) memory.delete(memory.keys().next().value as string);
    memory.set(key, { listened, atMs: nowMs });
    return listened;
  }
}
