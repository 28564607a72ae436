import { webTrigger } from '@forge/api';

/** The manifest's webtrigger module the OAuth providers of authorization-code webhooks redirect to. */
export const OAUTH_CODE_WEBTRIGGER = 'oauth-callback';

/** Its URL for this installation (stable per module, site and environment): the redirect URL admins register. */
export const oauthCodeRedirectUrl = (): Promise<string> => webTrigger.getUrl(OAUTH_CODE_WEBTRIGGER);
