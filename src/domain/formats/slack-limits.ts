/**
 * Slack Block Kit limits (api.slack.com reference/block-kit, webhook-anchors.md 5.6). Messages above
 * them are refused with invalid_blocks / msg_blocks_too_long, so the formatter stays well inside.
 */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3_000,
  sectionFields: 10,
  fieldText: 2_000,
  contextElements: 10,
  /** Top-level text may be 40,000 but is only the notification fallback: keep it short. */
  fallbackText: 500,
  /** Changes listed one per line before "and N more". */
  changesListed: 20,
  /** Total characters of all block text: users hit msg_blocks_too_long near 13,200 (bolt-js #2509). */
  totalBlockText: 12_000,
} as const;
