export * from './app';
export * from './deps';
export * from './wait';
export * from './http/problem';
export * from './http/auth';
export * from './routes/metrics';
export { createDoorCallbackBody } from './doors';
