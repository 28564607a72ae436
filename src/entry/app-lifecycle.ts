import { INSTALLED_AT_KEY } from '../app/audit-poll/poll-state';
import { getServices } from '../platform/container';
import { recordProductEvent } from './jira-event-trigger';

/**
 * Remembers when the app was installed (the audit poll starts there, so history is not flooded out),
 * then delivers the lifecycle event itself (app.installed, app.upgraded) like any product event.
 */
export const onAppInstalled = async (event: unknown) => {
  const { store, clock } = getServices();
  await store.setIfAbsent(INSTALLED_AT_KEY, clock.now().toISOString());
  return recordProductEvent(event);
};
