/** Admin use cases: the resolver (src/entry) registers createAdminHandlers(deps). */
export * from './admin-deps';
export * from './admin-handlers';
export * from './config-audit';
export * from './webhook-admin';
export * from './webhook-record';
export * from './webhook-repository';
