// Deliberately wrong order: @forge/api is loaded (and captures the plain global fetch) before the host.
import '@forge/api';
import { manualHost } from './helpers';

it('refuses to run the app when @forge/api captured fetch before the host was loaded', async () => {
  const host = await manualHost();
  try {
    await expect(host.invoke('canFetch', { url: 'https://hooks.example.com' })).rejects.toThrow(/loaded before dev\/host/);
  } finally {
    await host.close();
  }
});
