import { isHttpToken } from './http-token';
import { invisibleCharacterProblem } from './invisible-characters';
import { ownedHeaderReason } from './header-rules';
import { HEADER_NAME_MAX_CHARS } from './limits';
import { DEFAULT_SIGNATURE_HEADER, type SigningMode } from './model';

/** Signing as stored: header is set only for base64-list, the one mode whose header the admin names. */
export interface SigningConfig {
  mode: SigningMode;
  header?: string;
}

/** Problem with the header name of base64-list signing, or undefined. */
export function signatureHeaderProblem(header: string): string | undefined {
  if (header.length > HEADER_NAME_MAX_CHARS) return `Shorten the signature header name to at most ${HEADER_NAME_MAX_CHARS} characters, e.g. X-Webhook-Signature.`;
  const invisible = invisibleCharacterProblem(header, 'the signature header name', 'and header names are printable ASCII only');
  if (invisible !== undefined) return invisible;
  if (!isHttpToken(header)) return 'Use only letters, digits and !#$%&\'*+-.^_`|~ in the signature header name, e.g. X-Webhook-Signature.';
  const owned = ownedHeaderReason(header);
  if (owned !== undefined) return `Choose another signature header: the app sets ${header} itself (${owned}).`;
  return undefined;
}

/** Fills defaults: standard signing, and X-Webhook-Signature for base64-list. */
export function normaliseSigning(input: { mode?: SigningMode; header?: string } | undefined): SigningConfig {
  const mode = input?.mode ?? 'standard';
  return mode === 'base64-list' ? { mode, header: input?.header ?? DEFAULT_SIGNATURE_HEADER } : { mode };
}
