export * from './shared-store';
export * from './breaker';
export * from './budget-schedule';
export * from './rate-gate';
export * from './upstream-context';
export * from './provider-guard';
