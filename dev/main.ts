/** `tsx dev/main.ts`: starts the local Forge host for the app in the current directory, reading
 * its configuration from the environment (see dev/README.md). */
import { createForgeHost, parseRoutes } from './host';

async function main(): Promise<void> {
  const clock = process.env.FORGE_LOCAL_CLOCK ?? 'real';
  if (clock !== 'real' && clock !== 'manual') throw new Error(`FORGE_LOCAL_CLOCK must be "real" or "manual"; got "${clock}"`);
  const port = Number.parseInt(process.env.PORT ?? '8787', 10);
  if (!Number.isInteger(port) || port < 0) throw new Error(`PORT must be a port number; got "${process.env.PORT ?? ''}"`);
  const admins = (process.env.FORGE_LOCAL_ADMINS ?? 'local-admin').split(',').map((a) => a.trim()).filter(Boolean);
  const scale = process.env.FORGE_LOCAL_TIME_LIMIT_SCALE ? Number(process.env.FORGE_LOCAL_TIME_LIMIT_SCALE) : undefined;
  const host = await createForgeHost({
    appDir: process.env.FORGE_LOCAL_APP_DIR ?? process.cwd(),
    stateDir: process.env.FORGE_LOCAL_DIR ?? '.forge-local',
    clock,
    routes: parseRoutes(process.env.FORGE_LOCAL_ROUTES),
    admins,
    logErrors: true,
    ...(scale !== undefined && Number.isFinite(scale) && scale > 0 ? { timeScale: scale } : {}),
  });
  const { url } = await host.listen(port);
  console.log(`Local Forge host: ${url} (clock ${clock}, admins ${admins.join(', ')}, state in ${process.env.FORGE_LOCAL_DIR ?? '.forge-local'})`);
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
