import type { z } from 'zod';
import { webhookIdInputSchema } from './webhook-inputs';

/**
 * "Authorize" for a custom webhook whose OAuth grant is the authorization code (docs/destinations.md,
 * "OAuth 2.0"): webhooks.oauthAuthorize answers the provider's consent URL (PKCE S256, a signed,
 * single-use, expiring state bound to the webhook, its version and the calling admin); the provider sends
 * the browser to the app's web trigger `oauth-callback`, which exchanges the code and keeps the tokens as
 * secrets. webhooks.oauthStatus says whether the webhook is authorized. No answer ever carries a token.
 */
export const oauthAuthorizeInputSchema = webhookIdInputSchema;
export const oauthStatusInputSchema = webhookIdInputSchema;

export type OAuthAuthorizeInput = z.input<typeof oauthAuthorizeInputSchema>;

export interface OAuthAuthorizeStarted {
  /** Open in a new tab: the provider's consent page with response_type=code, client_id, redirect_uri, state, code_challenge (S256), scope and audience. */
  authorizeUrl: string;
  /** The redirect URL to register with the provider: the app's web trigger URL. */
  redirectUrl: string;
  /** When the state expires (10 minutes to consent). */
  expiresAt: string;
}

export interface OAuthCodeStatus {
  /** `needs-reauthorization`: the refresh token was revoked or expired, or the OAuth settings changed since. */
  status: 'not-authorized' | 'authorized' | 'needs-reauthorization';
  /** The redirect URL to register with the provider (the web trigger URL). */
  redirectUrl: string;
  authorizedAt?: string;
  /** The account id of the admin who authorized. */
  authorizedBy?: string;
  /** Why it needs re-authorization, in words an admin can act on. */
  reason?: string;
}
