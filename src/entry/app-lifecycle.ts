import { INSTALLED_AT_KEY } from '../app/audit-poll/poll-state';
import { getServices } from '../platform/container';

/** Remembers when the app was installed: the audit poll starts there, so history is not flooded out. */
export const onAppInstalled = async () => {
  const { store, clock } = getServices();
  await store.setIfAbsent(INSTALLED_AT_KEY, clock.now().toISOString());
};
