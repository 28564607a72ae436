import { constantTimeEqual, hmacSha256 } from './hmac';
import { standardSecretKey } from './secret-key';
import { SigningError } from './signing-error';
import type { VerifyResult } from './verify-result';

/**
 * Standard Webhooks v1 (spec v1.0.0): HMAC-SHA256 over `${id}.${timestamp}.${body}`, base64, each
 * entry prefixed `v1,` and entries separated by a single space (one per active secret, so receivers
 * holding either key during a rotation accept the message).
 */
export const STANDARD_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

/** The reference libraries' tolerance: a signed timestamp further than 5 minutes from now is refused. */
export const STANDARD_TOLERANCE_SECONDS = 5 * 60;

export function assertSignableIdAndTimestamp(msgId: string, timestamp: number): void {
  // The id and timestamp are joined with '.', so a '.' in the id would make two messages sign alike.
  if (msgId.length === 0 || msgId.includes('.')) {
    throw new SigningError(`The message id "${msgId}" cannot be signed: it must be non-empty and contain no ".".`);
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new SigningError(`The timestamp ${timestamp} cannot be signed: pass whole Unix seconds of the attempt.`);
  }
}

/** One `v1,<base64>` entry for one secret. */
export function standardSignature(secret: string, msgId: string, timestamp: number, body: string): string {
  assertSignableIdAndTimestamp(msgId, timestamp);
  const mac = hmacSha256(standardSecretKey(secret), `${msgId}.${timestamp}.${body}`);
  return `v1,${mac.toString('base64')}`;
}

/** The `webhook-signature` value: one entry per secret, space-separated, in the secrets' order. */
export function standardSignatureHeader(secrets: readonly string[], msgId: string, timestamp: number, body: string): string {
  return secrets.map((secret) => standardSignature(secret, msgId, timestamp, body)).join(' ');
}

export interface VerifyStandardInput {
  /** Request headers; names are matched case-insensitively. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The raw request body, exactly as received (not re-serialised JSON). */
  body: string;
  /** Every secret the receiver currently accepts. */
  secrets: readonly string[];
  /** Now, in Unix seconds: injected so verification is deterministic. */
  nowSeconds: number;
  toleranceSeconds?: number;
}

/**
 * Receiver-side verification, as the reference libraries do it: all three headers present, timestamp
 * within tolerance, then any `v1` entry matching any secret (unknown versions are skipped).
 */
export function verifyStandard(input: VerifyStandardInput): VerifyResult {
  const lower = lowerCaseKeys(input.headers);
  const msgId = lower[STANDARD_HEADERS.id];
  const timestampText = lower[STANDARD_HEADERS.timestamp];
  const signatureHeader = lower[STANDARD_HEADERS.signature];
  if (!msgId || !timestampText || !signatureHeader) {
    return { valid: false, reason: 'Missing webhook-id, webhook-timestamp or webhook-signature header.' };
  }
  if (msgId.includes('.')) {
    return { valid: false, reason: 'The webhook-id header contains ".", which no Standard Webhooks sender produces.' };
  }
  if (!/^\d+$/.test(timestampText)) {
    return { valid: false, reason: 'The webhook-timestamp header is not whole Unix seconds.' };
  }
  const timestamp = Number(timestampText);
  const tolerance = input.toleranceSeconds ?? STANDARD_TOLERANCE_SECONDS;
  if (Math.abs(input.nowSeconds - timestamp) > tolerance) {
    return { valid: false, reason: `The webhook-timestamp is more than ${tolerance} s away from now: a replay, or a skewed clock.` };
  }
  const offered = signatureHeader
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'));
  for (const [index, secret] of input.secrets.entries()) {
    const expected = standardSignature(secret, msgId, timestamp, input.body);
    if (offered.some((entry) => constantTimeEqual(entry, expected))) {
      return { valid: true, matchedSecretIndex: index };
    }
  }
  return { valid: false, reason: 'No v1 signature matches any secret: check the secret, and that the raw request body is verified.' };
}

function lowerCaseKeys(headers: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
