import { guarded, type AdminDeps, type AdminHandler } from '../app/admin';
import { OAuthCodeFlow } from '../app/oauth-code/authorize-flow';
import { getServices } from '../platform/container';
import { forgeHttpSender } from '../platform/forge-http';
import { oauthCodeRedirectUrl } from '../platform/forge-oauth-code';
import { forgeExpiringSecretStore } from '../platform/forge-slack-oauth';

/** "Authorize" for authorization-code custom webhooks, wired to Forge. */
export const oauthCodeFlow = (): OAuthCodeFlow => {
  const { store, secrets, clock, ids, logger, repository } = getServices();
  return new OAuthCodeFlow({
    kvs: store,
    secrets,
    expiring: forgeExpiringSecretStore,
    clock,
    ids,
    http: forgeHttpSender,
    logger,
    redirectUrl: oauthCodeRedirectUrl,
    webhook: async (id) => {
      const config = await repository.getDeliveryConfig(id);
      return config ? { kind: config.kind, version: config.version, settings: config.settings } : undefined;
    },
  });
};

/** webhooks.oauthAuthorize and webhooks.oauthStatus: site admins only, like every admin function. */
export const createOAuthCodeHandlers = (deps: AdminDeps): { 'webhooks.oauthAuthorize': AdminHandler<'webhooks.oauthAuthorize'>; 'webhooks.oauthStatus': AdminHandler<'webhooks.oauthStatus'> } => {
  const flow = oauthCodeFlow();
  return {
    'webhooks.oauthAuthorize': guarded(deps, 'webhooks.oauthAuthorize', (input, actor) => flow.start(actor, input.id)),
    'webhooks.oauthStatus': guarded(deps, 'webhooks.oauthStatus', (input) => flow.status(input.id)),
  };
};
