import { getServices } from '../platform/container';

/**
 * Scheduled trigger (every 5 minutes): polls Jira's audit records, then makes sure nothing waits in the
 * outbox (the safety net for a drain that could not be queued). Errors are recorded in the poll state,
 * which the admin page shows; scheduled triggers are not retried by Forge, so a failing poll (e.g. KVS
 * over its rate in a burst) is logged and the outbox is still looked at: the next run goes on from the
 * state saved after each page.
 */
export const pollAuditLog = async () => {
  const { poll, outbox, drain, logger, settings } = getServices();
  try {
    if ((await settings.load()).auditPoll.enabled) {
      const result = await poll.run();
      if (result.status === 'failed') logger.warn('Audit records poll failed', { message: result.message });
    }
  } catch (error) {
    logger.warn('Audit records poll stopped; the next run goes on from its saved state', { error: error instanceof Error ? error.message : String(error) });
  }
  if (await drain.hasWaiting().catch(() => true)) await outbox.requestDrainQuietly();
  return { statusCode: 204 };
};
