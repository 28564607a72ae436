/**
 * The numbers that bound a webhook's configuration. One place, so the rules, the zod contract, the
 * docs and the admin page agree. Why each number: see docs/admin-api.md "Limits".
 */
export const NAME_MAX_CHARS = 100;
export const URL_MAX_CHARS = 2048;
/** Svix keeps at most 10 keys per endpoint; signing cost grows with every active secret. */
export const SECRETS_MAX_ACTIVE = 10;
export const SECRET_MIN_BYTES = 24;
export const SECRET_MAX_BYTES = 64;
export const GENERATED_SECRET_BYTES = 32;
export const HEADERS_MAX = 25;
export const HEADER_VALUE_MAX_BYTES = 4096;
/** Far above any real header name; keeps a pasted value out of the name and the request's header block small. */
export const HEADER_NAME_MAX_CHARS = 100;
export const AUTHORIZATION_MAX_BYTES = 4096;
export const TIMEOUT_MIN_SECONDS = 1;
/** Forge consumers get at most 55 s by default; one attempt must leave room to record its outcome. */
export const TIMEOUT_MAX_SECONDS = 30;
export const TIMEOUT_DEFAULT_SECONDS = 15;
/** Svix's default overlap: the receiver has a day to switch to the new secret. */
export const SECRET_GRACE_DEFAULT_HOURS = 24;
export const SECRET_GRACE_MAX_HOURS = 168;
/** Every enabled webhook multiplies each event into a delivery; 50 keeps a burst inside Forge's quotas. */
export const WEBHOOKS_MAX = 50;

/** Events in one request to a batching destination: a delivery job carries at most 100 (app/delivery/job.ts JOB_SIZE). */
export const BATCH_EVENTS_MAX = 100;
