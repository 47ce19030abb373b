export * from './credits';
export * from './failover';
export * from './route';
