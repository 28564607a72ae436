/** `tsx dev/main.ts`: starts the local Forge host for the app in the current directory, reading
 * its configuration from the environment (see dev/README.md and dev/env.ts). */
import { createForgeHost } from './host';
import { hostConfigFromEnv } from './env';

async function main(): Promise<void> {
  const { port, stateDir, options } = hostConfigFromEnv(process.env, process.cwd());
  const host = await createForgeHost(options);
  const { url } = await host.listen(port);
  const { admins } = host.appInfo();
  console.log(`Local Forge host: ${url} (clock ${options.clock ?? 'real'}, admins ${admins.join(', ')}, state in ${stateDir})`);
  const stop = () => {
    void host.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
