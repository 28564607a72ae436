export { SigningError, secretPreview } from './signing-error';
export type { VerifyResult } from './verify-result';
export { STANDARD_SECRET_PREFIX, standardSecretKey, utf8SecretKey } from './secret-key';
export {
  STANDARD_HEADERS,
  STANDARD_TOLERANCE_SECONDS,
  standardSignature,
  standardSignatureHeader,
  verifyStandard,
  type VerifyStandardInput,
} from './standard';
export { DEFAULT_BASE64_LIST_HEADER, base64ListSignature, base64ListSignatureHeader, verifyBase64List } from './base64-list';
export { HUB_SIGNATURE_256_HEADER, HUB_SIGNATURE_HEADER, hubSignature, hubSignatureHeader, verifyHub } from './hub';
export { SIGNING_MODES, buildSignatureHeaders, type SignatureHeadersInput, type SigningMode } from './signature-headers';
export { ALWAYS_SENSITIVE_HEADERS, redactHeaders, redactValue } from './redact-headers';
