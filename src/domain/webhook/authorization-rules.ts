import { encodeBase64Utf8 } from './base64';
import { isHeaderText, isHttpToken, utf8Bytes } from './http-token';
import { AUTHORIZATION_MAX_BYTES } from './limits';
import type { FieldProblem } from './model';

/** The three ways an admin may give the Authorization header (contract AuthorizationInput). */
export type AuthorizationSpec =
  | { type: 'raw'; value: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'bearer'; token: string };

export type AuthorizationCheck = { ok: true; value: string; scheme: string } | { ok: false; problems: FieldProblem[] };

/** Builds the header value "<auth-scheme> <credentials>" (RFC 9110 section 11.6.2) and checks it. */
export function buildAuthorization(spec: AuthorizationSpec): AuthorizationCheck {
  switch (spec.type) {
    case 'raw':
      return checkRaw(spec.value);
    case 'basic':
      return basicAuthorization(spec.username, spec.password);
    case 'bearer':
      return bearerAuthorization(spec.token);
  }
}

/** The scheme of a stored value, the only part the admin page may see ("Basic", "Splunk"). */
export const authorizationScheme = (value: string): string => value.slice(0, Math.max(0, value.indexOf(' '))) || value;

function checkRaw(value: string): AuthorizationCheck {
  const problem = rawProblem(value);
  if (problem) return { ok: false, problems: [{ path: ['value'], message: problem }] };
  return { ok: true, value, scheme: authorizationScheme(value) };
}

function rawProblem(value: string): string | undefined {
  const space = value.indexOf(' ');
  if (value.length === 0) return 'Enter the header value as "<scheme> <credentials>", e.g. "Splunk 1234abcd-...".';
  if (!isHeaderText(value) || value.includes('\t')) {
    return 'Use printable ASCII only in the Authorization value: no line breaks, tabs or control characters.';
  }
  if (utf8Bytes(value) > AUTHORIZATION_MAX_BYTES) return `Shorten the Authorization value to at most ${AUTHORIZATION_MAX_BYTES} bytes.`;
  if (space <= 0) return 'Write the value as "<scheme> <credentials>", e.g. "Bearer abc..." or "Splunk abc...": the scheme is missing.';
  if (!isHttpToken(value.slice(0, space))) return 'The scheme (the word before the first space) may contain only letters, digits and !#$%&\'*+-.^_`|~.';
  if (value.slice(space + 1).trim().length === 0) return 'Add the credentials after the scheme.';
  return undefined;
}

function basicAuthorization(username: string, password: string): AuthorizationCheck {
  const problems: FieldProblem[] = [];
  if (username.length === 0) problems.push({ path: ['username'], message: 'Enter the user name.' });
  else if (username.includes(':')) problems.push({ path: ['username'], message: 'Remove ":" from the user name: Basic authentication uses it to separate the password.' });
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(username)) problems.push({ path: ['username'], message: 'Remove control characters and line breaks from the user name.' });
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(password)) problems.push({ path: ['password'], message: 'Remove control characters and line breaks from the password.' });
  if (problems.length > 0) return { ok: false, problems };
  const value = `Basic ${encodeBase64Utf8(`${username}:${password}`)}`;
  if (utf8Bytes(value) > AUTHORIZATION_MAX_BYTES) {
    return { ok: false, problems: [{ path: ['password'], message: `Shorten the user name and password: encoded they exceed ${AUTHORIZATION_MAX_BYTES} bytes.` }] };
  }
  return { ok: true, value, scheme: 'Basic' };
}

function bearerAuthorization(token: string): AuthorizationCheck {
  if (token.length === 0) return { ok: false, problems: [{ path: ['token'], message: 'Enter the token.' }] };
  if (!/^[\x21-\x7e]+$/.test(token)) {
    return { ok: false, problems: [{ path: ['token'], message: 'Use printable ASCII without spaces in the token (remove a "Bearer " prefix if you pasted one).' }] };
  }
  const value = `Bearer ${token}`;
  if (utf8Bytes(value) > AUTHORIZATION_MAX_BYTES) {
    return { ok: false, problems: [{ path: ['token'], message: `Shorten the token to at most ${AUTHORIZATION_MAX_BYTES - 7} characters.` }] };
  }
  return { ok: true, value, scheme: 'Bearer' };
}
