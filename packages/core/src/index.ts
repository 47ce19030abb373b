export * from './errors';
export * from './scenarios';
export * from './planning';
export * from './step-machine';
export * from './ids';
export * from './model-aliases';
export * from './url-guard';
export * from './startup-error';
