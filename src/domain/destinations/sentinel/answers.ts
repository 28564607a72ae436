import { z } from 'zod';
import type { DeliveryOutcome, ReceiverResponse } from '../../delivery/outcome';

/** Azure's error body: `{"error":{"code":"OperationFailed","message":"..."}}`. */
const AzureErrorSchema = z.object({ error: z.object({ code: z.string().optional(), message: z.string().optional() }) });

const MESSAGE_MAX_CHARS = 200;

/** Azure's error code and message, on one line and cut short, for the delivery log. */
export function azureErrorOf(body: string | undefined): string | undefined {
  try {
    const parsed = AzureErrorSchema.safeParse(JSON.parse(body ?? ''));
    if (!parsed.success) return undefined;
    const { code, message } = parsed.data.error;
    let text = message?.replace(/\s+/g, ' ').trim();
    if (text !== undefined && text.length > MESSAGE_MAX_CHARS) text = `${text.slice(0, MESSAGE_MAX_CHARS - 1)}…`;
    const parts = [code, text].filter((part): part is string => part !== undefined && part !== '');
    return parts.length > 0 ? parts.join(': ') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Logs Ingestion API's own answers, read before the generic rules (which keep 2xx as delivered,
 * 401 as permanent after the engine's one token refresh, and 429/5xx as retried with Retry-After).
 */
export const sentinelAnswer = (response: ReceiverResponse): DeliveryOutcome | undefined => {
  const { status } = response;
  const error = azureErrorOf(response.body);
  const said = error === undefined ? `HTTP ${status}` : `HTTP ${status}, ${error}`;
  const permanent = (message: string, failsEndpoint: boolean): DeliveryOutcome => ({
    kind: 'permanent',
    errorClass: 'http',
    httpStatus: status,
    message,
    ...(failsEndpoint ? { failsEndpoint: true as const } : {}),
  });
  switch (status) {
    case 400:
      return permanent(`Azure Monitor refused the records (${said}): check that the DCR's stream declares the columns in docs/destinations/sentinel.md.`, false);
    case 403:
      return permanent(
        `Azure Monitor refused the app registration (${said}): assign it the Monitoring Metrics Publisher role on the data collection rule (a new assignment can take some minutes to apply).`,
        true,
      );
    case 404:
      return permanent(`Azure Monitor found no such rule or stream (${said}): check the endpoint URL, DCR immutable ID and Stream name.`, true);
    case 413:
      return permanent(`Azure Monitor refused the request size (${said}): lower Events per request.`, false);
    default:
      return undefined;
  }
};
