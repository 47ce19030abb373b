export * from './vocabulary';
export * from './steps';
export * from './generation';
export * from './provider-config';
export * from './problem';
export * from './jobs';
