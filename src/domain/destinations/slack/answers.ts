import type { DeliveryOutcome, ReceiverResponse } from '../../delivery/outcome';

/**
 * Slack incoming-webhook answers that mean the hook will never work again (Slack changelog 2016-05-17
 * and current docs): the channel is gone or archived, the hook or app was revoked, posting is
 * forbidden. Retrying them only spams Slack; the admin has to reinstall the hook.
 */
const SLACK_TERMINAL_ERRORS = new Set([
  'channel_not_found',
  'channel_is_archived',
  'action_prohibited',
  'invalid_token',
  'no_service',
  'no_active_hooks',
  'team_disabled',
  'posting_to_general_channel_denied',
]);

/** Slack answers errors as a bare token ("channel_is_archived"), sometimes as JSON {"error": "..."}. */
export function slackErrorCode(body: string | undefined): string | undefined {
  if (!body) return undefined;
  const trimmed = body.trim();
  if (/^[a-z_]{3,64}$/.test(trimmed)) return trimmed;
  const match = /"error"\s*:\s*"([a-z_]{3,64})"/.exec(trimmed);
  return match?.[1];
}

/** A 4xx carrying one of Slack's terminal error codes disables the webhook; anything else is read generically. */
export const slackAnswer = (response: ReceiverResponse): DeliveryOutcome | undefined => {
  const { status } = response;
  const code = slackErrorCode(response.body);
  if (status >= 400 && status <= 499 && code !== undefined && SLACK_TERMINAL_ERRORS.has(code)) {
    return { kind: 'disable', errorClass: 'http', httpStatus: status, message: `Slack answered ${code} (HTTP ${status}): reinstall the Slack webhook.` };
  }
  return undefined;
};
