export * from './contract';
export * from './kinds';
export * from './registry';
