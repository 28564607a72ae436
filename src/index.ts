/** The handlers manifest.yml names (`index.<export>`), and nothing else. */
export { adminResolver } from './entry/admin-resolver';
export { onJiraEvent } from './entry/jira-event-trigger';
export { onAppInstalled } from './entry/app-lifecycle';
export { pollAuditLog } from './entry/audit-poll-trigger';
export { drainOutbox } from './entry/pipeline-consumer';
export { deliverWebhooks } from './entry/delivery-consumer';
export { slackOauthCallback } from './entry/slack-oauth-callback';
export { oauthCodeCallback } from './entry/oauth-code-callback';
