import path from 'node:path';
import { createForgeHost, type ForgeHost, type Strictness } from '../../../dev/host';
import { Receiver } from './receiver';

export const APP_DIR = path.resolve(__dirname, '../../..');
export const ADMIN = 'local-admin';

export interface TestBed {
  host: ForgeHost;
  receivers: Record<string, Receiver>;
  /** Calls an admin resolver function as the admin page would. */
  call<T = unknown>(functionKey: string, payload?: unknown, accountId?: string): Promise<{ ok: boolean; data: T; error: { code: string; message: string; fields?: Record<string, string> } }>;
  close(): Promise<void>;
}

export interface TestBedOptions {
  startTime?: Date;
  /** Extra routes to targets the test runs itself (a receiver that never answers...). */
  routes?: Record<string, string>;
  /** Harsher than the host's Forge-like defaults, e.g. { workers: 8, duplicateRate: 0.1 }. */
  strictness?: Partial<Strictness>;
}

/** The app on the local Forge host (manual clock), with a real receiver per routed host. */
export const startTestBed = async (hosts: string[], options: TestBedOptions = {}): Promise<TestBed> => {
  const receivers: Record<string, Receiver> = {};
  const routes: Record<string, string> = { ...options.routes };
  for (const name of hosts) {
    const receiver = new Receiver();
    routes[name] = await receiver.start();
    receivers[name] = receiver;
  }
  const host = await createForgeHost({ appDir: APP_DIR, clock: 'manual', routes, admins: [ADMIN], ...(options.startTime ? { startTime: options.startTime } : {}), ...(options.strictness ? { strictness: options.strictness } : {}) });
  return {
    host,
    receivers,
    call: async (functionKey, payload, accountId = ADMIN) => (await host.invoke(functionKey, payload, accountId)) as never,
    close: async () => {
      await host.close();
      await Promise.all(Object.values(receivers).map((r) => r.stop()));
    },
  };
};

/** A valid Standard Webhooks secret: whsec_ + base64 of 32 bytes. */
export const secret = (fill: number): string => `whsec_${Buffer.alloc(32, fill).toString('base64')}`;
