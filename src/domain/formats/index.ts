export type { FormattableActor, FormattableEvent, FormattableObject } from './formattable-event';
export { envelopeBody, envelopeOf, type Envelope } from './envelope';
export { truncateUtf8, utf8Bytes } from './utf8';
export { escapeAndTruncate, escapeSlackText, truncatePlain } from './slack-text';
export { SLACK_LIMITS } from './slack-limits';
export { slackBlockTextLength, slackMessage, type SlackBlock, type SlackMessage, type SlackTextObject } from './slack-message';
export { DEFAULT_MAX_BODY_BYTES, MIN_KEPT_BYTES, fitPayload, trimMarker, type FitResult, type TrimmedEvent, type TrimmedField } from './fit-payload';
