export * from './shared-store';
export * from './breaker';
export * from './rate-gate';
export * from './provider-guard';
