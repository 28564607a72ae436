import { customDestination } from '../../../src/domain/destinations/custom';
import { settingsKit } from './kit';

const { problems, settingsOf } = settingsKit(customDestination);

const code = {
  oauthGrant: 'authorization-code',
  oauthTokenUrl: 'https://auth.example.com/oauth2/token',
  oauthAuthorizeUrl: 'https://auth.example.com/oauth2/authorize',
  oauthClientId: 'client',
  oauthClientSecret: 'secret-value-1234',
};

describe('custom webhook: OAuth authorization-code settings', () => {
  it('takes the grant with token URL, authorize URL, client ID and secret; form-encoded unless JSON is chosen', () => {
    const auth = customDestination.auth(settingsOf(code));
    expect(auth).toEqual({ type: 'oauth-authorization-code', client: { tokenUrl: code.oauthTokenUrl, authorizeUrl: code.oauthAuthorizeUrl, clientId: 'client', clientSecret: 'secret-value-1234', tokenFormat: 'form' } });
    const json = customDestination.auth(settingsOf({ ...code, oauthTokenFormat: 'json', oauthScope: 'a b', oauthAudience: 'api' }));
    expect(json).toMatchObject({ type: 'oauth-authorization-code', client: { tokenFormat: 'json', scope: 'a b', audience: 'api' } });
  });

  it('names each missing field', () => {
    expect(problems({ oauthGrant: 'authorization-code', oauthTokenUrl: code.oauthTokenUrl })).toEqual({
      oauthClientId: expect.stringContaining('Enter OAuth client ID'),
      oauthClientSecret: expect.stringContaining('Enter OAuth client secret'),
      oauthAuthorizeUrl: expect.stringContaining('Enter OAuth authorize URL'),
    });
  });

  it('holds both URLs to the URL rules (https, no IP literal)', () => {
    expect(problems({ ...code, oauthAuthorizeUrl: 'http://auth.example.com/authorize' })).toEqual({ oauthAuthorizeUrl: expect.stringMatching(/^Fix the OAuth authorize URL: Use https/) });
    expect(problems({ ...code, oauthTokenUrl: 'https://10.0.0.1/token' })).toEqual({ oauthTokenUrl: expect.stringMatching(/^Fix the OAuth token URL/) });
    expect(problems({ ...code, oauthTokenFormat: 'xml' })).toHaveProperty('oauthTokenFormat');
    expect(problems({ ...code, oauthGrant: 'implicit' })).toHaveProperty('oauthGrant');
  });

  it('needs egress to the token URL only: the authorize URL opens in the browser', () => {
    const settings = settingsOf(code);
    expect(customDestination.egressUrls('https://siem.example.com/hook', settings)).toEqual(['https://siem.example.com/hook', code.oauthTokenUrl]);
  });

  it('keeps client credentials as before, and refuses authorization-code-only fields there', () => {
    const cc = { oauthTokenUrl: code.oauthTokenUrl, oauthClientId: 'client', oauthClientSecret: 'secret-value-1234' };
    expect(customDestination.auth(settingsOf(cc)).type).toBe('oauth-client-credentials');
    expect(customDestination.auth(settingsOf({ ...cc, oauthGrant: 'client-credentials' })).type).toBe('oauth-client-credentials');
    expect(problems({ ...cc, oauthAuthorizeUrl: code.oauthAuthorizeUrl })).toEqual({ oauthAuthorizeUrl: expect.stringContaining('Remove OAuth authorize URL, or set OAuth grant to authorization code') });
  });
});
