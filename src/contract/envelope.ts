// The admin API contract: see src/contract/CONTRACT.md (that is the CONTRACT_PLACEHOLDER text of the brief).
/**
 * Every admin resolver function answers with this envelope, so the admin page handles errors in one
 * place. `fields` maps an input path (e.g. "url", "headers.2.name") to what is wrong with it.
 */
export const ERROR_CODES = ['VALIDATION', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'LIMIT', 'UNAVAILABLE'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  code: ErrorCode;
  message: string;
  fields?: Record<string, string>;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

export const ok = <T>(data: T): ApiResult<T> => ({ ok: true, data });
export const fail = (code: ErrorCode, message: string, fields?: Record<string, string>): ApiResult<never> => ({
  ok: false,
  error: fields && Object.keys(fields).length > 0 ? { code, message, fields } : { code, message },
});

/** A failure decided where it is raised; the resolver turns it into the envelope. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}
