/** The webhook model and its rules: pure, browser-safe (the admin page's contract imports them). */
export * from './authorization-rules';
export * from './base64';
export * from './constant-time';
export * from './egress-message';
export * from './event-selection';
export * from './header-rules';
export * from './http-token';
export * from './ip-literal';
export * from './limits';
export * from './model';
export * from './name-rules';
export * from './ports';
export * from './secret-rules';
export * from './signing-rules';
export * from './slack-url';
export * from './url-masking';
export * from './url-rules';
