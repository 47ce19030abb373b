export type {
  AdapterContext,
  AdapterFactory,
  ClipSnapshot,
  GatedRequest,
  RequestGate,
  Credits,
  ProviderAdapter,
  SubmitRequest,
  TaskRef,
  TaskSnapshot,
} from './types';
export {
  ADAPTER_FACTORIES,
  DIALECT_DEFAULT_MODELS,
  createAdapter,
  describeProvider,
  factoryFor,
  providerSupports,
  type CreateAdapterOptions,
  type ProviderDescription,
} from './registry';
export { LYRICS_STATUS, mapClipStatus, summarizeClips } from './status';
export { SUNO_MODELS, providerDefaultModel, providerModels } from './models';
export { DEFAULT_TIMEOUT_MS } from './http';
export { DEFAULT_RETRY_AFTER_MS, parseRetryAfter } from './http-errors';
export { NATIVE_PATHS, NATIVE_STATUS, createNativeAdapter } from './dialects/native';
export { GATEWAY_PATHS, GATEWAY_STATUS, createGatewayAdapter } from './dialects/gateway';
export { RELAY_PATHS, RELAY_STATUS, createRelayAdapter } from './dialects/relay';
export { ACTION_PATHS, ACTION_STATUS, createActionAdapter } from './dialects/action';
export { ACTION_WORDS } from './dialects/action-bodies';
