export * from './backend';
export * from './flows';
export * from './notifier';
export { DelayedError, UnrecoverableError, Job, type Processor } from 'bullmq';
export * from './redis/topology';
export * from './redis/connect';
export * from './redis/checks';
