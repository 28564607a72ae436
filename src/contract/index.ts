/** The admin API contract: the one module the admin page and the resolver import. No Forge, no node. */
export * from './delivery-api';
export * from './destination-view';
export * from './envelope';
export * from './fields';
export * from './oauth-code';
export * from './functions';
export * from './parse-input';
export * from './pipeline-api';
export * from './settings-api';
export * from './template-api';
export * from './slack-oauth';
export * from './webhook-inputs';
export * from './webhook-view';
export * from './zod-fields';
