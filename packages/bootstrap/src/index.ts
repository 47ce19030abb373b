export * from './env-schema';
export * from './start';
export * from './dev-credentials';
export * from './redis-env';
