import { getServices } from '../platform/container';

/**
 * Scheduled trigger (every 5 minutes): polls Jira's audit records, then makes sure nothing waits in the
 * outbox (the safety net for a drain that could not be queued). Errors are recorded in the poll state,
 * which the admin page shows; scheduled triggers are not retried by Forge.
 */
export const pollAuditLog = async () => {
  const { poll, outbox, store, logger, settings } = getServices();
  if ((await settings.load()).auditPoll.enabled) {
    const result = await poll.run();
    if (result.status === 'failed') logger.warn('Audit records poll failed', { message: result.message });
  }
  const waiting = await store.query('outbox:', { limit: 1 });
  if (waiting.results.length > 0) await outbox.requestDrainQuietly();
  return { statusCode: 204 };
};
