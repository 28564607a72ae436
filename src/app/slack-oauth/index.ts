/** "Add to Slack" (Slack OAuth v2, incoming-webhook scope): docs/destinations/slack.md. */
export * from './callback-page';
export * from './default-events';
export * from './ports';
export * from './slack-oauth';
export * from './webhook-name';
