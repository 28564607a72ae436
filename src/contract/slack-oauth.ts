import { z } from 'zod';
import { inputObject, text } from './fields';
import { eventsSchema } from './webhook-inputs';
import type { WebhookView } from './webhook-view';

/**
 * "Add to Slack" (Slack OAuth v2, scope incoming-webhook): slack.oauthStart answers Slack's authorize
 * URL with a signed, single-use `state` bound to the calling admin; Slack sends the browser to the app's
 * web trigger; slack.oauthComplete, called by the same admin with that state, creates the webhook.
 */

/** The state the app issued: `<nonce>.<expiry in ms>.<signature>`, all URL-safe. */
export const slackOAuthStateSchema = text('the state that slack.oauthStart returned')
  .min(1, { error: 'Enter the state that slack.oauthStart returned.' })
  .max(300, { error: 'This is not a state this app issued: pass it exactly as slack.oauthStart returned it.' })
  .regex(/^[A-Za-z0-9_.-]+$/, { error: 'This is not a state this app issued: pass it exactly as slack.oauthStart returned it.' });

export const slackOAuthStartInputSchema = inputObject({
  /** The events the new webhook subscribes to; default: configuration and security events (docs/destinations/slack.md). */
  events: eventsSchema.optional(),
});

export const slackOAuthCompleteInputSchema = inputObject({ state: slackOAuthStateSchema });

export type SlackOAuthStartInput = z.input<typeof slackOAuthStartInputSchema>;

export interface SlackOAuthStatus {
  /** Whether the app has a Slack app to connect with (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set). Never the values. */
  configured: boolean;
}

export interface SlackOAuthStarted {
  /** Open in a new tab: Slack's consent page (https://slack.com/oauth/v2/authorize?...). */
  authorizeUrl: string;
  /** Pass to slack.oauthComplete once the admin allowed the app in Slack. */
  state: string;
  expiresAt: string;
}

/** `pending`: Slack has not sent the admin back yet (poll again); `created`: the webhook exists now. */
export type SlackOAuthCompleted = { status: 'pending'; expiresAt: string } | { status: 'created'; webhook: WebhookView };
