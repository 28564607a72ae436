import { guarded, type AdminDeps, type AdminHandler, WebhookAdmin } from '../app/admin';
import { SlackOAuth, type SlackWebhookCreator } from '../app/slack-oauth';
import { EVENT_CATALOGUE } from '../domain/events';
import { getServices } from '../platform/container';
import { forgeHttpSender } from '../platform/forge-http';
import { forgeExpiringSecretStore, slackAppCredentials, slackRedirectUrl } from '../platform/forge-slack-oauth';

/** The "Add to Slack" use cases wired to Forge; `webhooks` is what completion creates webhooks with. */
export const slackOAuthService = (webhooks: SlackWebhookCreator): SlackOAuth => {
  const { store, clock, ids, logger } = getServices();
  return new SlackOAuth({
    kvs: store,
    secrets: forgeExpiringSecretStore,
    clock,
    ids,
    http: forgeHttpSender,
    logger,
    credentials: slackAppCredentials,
    redirectUrl: slackRedirectUrl,
    webhooks,
    eventTypes: EVENT_CATALOGUE,
  });
};

/** slack.oauthStatus, slack.oauthStart and slack.oauthComplete: site admins only, like every admin function. */
export const createSlackOAuthHandlers = (
  deps: AdminDeps,
): { 'slack.oauthStatus': AdminHandler<'slack.oauthStatus'>; 'slack.oauthStart': AdminHandler<'slack.oauthStart'>; 'slack.oauthComplete': AdminHandler<'slack.oauthComplete'> } => {
  const admin = new WebhookAdmin(deps);
  const slack = slackOAuthService({
    create: (actor, input) => admin.create(actor, input),
    names: async () => (await admin.list()).webhooks.map((webhook) => webhook.name),
  });
  return {
    'slack.oauthStatus': guarded(deps, 'slack.oauthStatus', () => slack.status()),
    'slack.oauthStart': guarded(deps, 'slack.oauthStart', (input, actor) => slack.start(actor, input)),
    'slack.oauthComplete': guarded(deps, 'slack.oauthComplete', (input, actor) => slack.complete(actor, input)),
  };
};
