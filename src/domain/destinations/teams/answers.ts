import { misconfigured, type DeliveryOutcome, type ReceiverResponse } from '../../delivery/outcome';

/**
 * What a Workflow's answers mean. A Workflow answers 202 Accepted as soon as its trigger has the request,
 * before the card is posted (a 2xx is read as delivered by classifyResponse; whether the post then
 * succeeded shows only in the Workflow's run history). The rest, as Teams documents for webhooks (400 bad
 * payload, 404 no such webhook, 413 too large, 429 too many requests), in words an admin can act on; 429
 * and 5xx are left to the generic rules (retried, honouring Retry-After), and 410 disables as for any kind.
 */
export const teamsAnswer = (response: ReceiverResponse): DeliveryOutcome | undefined => {
  const { status } = response;
  if (status === 400) {
    return {
      kind: 'permanent',
      errorClass: 'http',
      httpStatus: status,
      message: 'The Teams Workflow refused this message (HTTP 400): check that the Workflow was made from "Send webhook alerts to a channel" and still posts the card it receives; then retry the message from the delivery log.',
    };
  }
  if (status === 401 || status === 403) {
    return misconfigured(status, `The Teams Workflow refused the request (HTTP ${status}): its URL's sig= token is no longer valid or the trigger no longer accepts "Anyone". Copy the URL again from the Workflow's trigger and update the webhook.`);
  }
  if (status === 404) {
    // Not disabled: the same answer comes from a Workflow that is only turned off, which its owner can
    // turn back on; the webhook shows as failing at once with this reason and keeps the messages.
    return misconfigured(status, 'The Teams Workflow was not found (HTTP 404): it was deleted or turned off, or its URL changed. Turn the Workflow back on in Teams (Workflows app), or create it again and update the webhook URL.');
  }
  if (status === 413) {
    return {
      kind: 'permanent',
      errorClass: 'http',
      httpStatus: status,
      message: 'Teams refused this message as too large (HTTP 413, over about 28 KB). Messages are kept well under that, so report this with the event id from the delivery log.',
    };
  }
  return undefined;
};
