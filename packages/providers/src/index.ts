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
export { providerDefaultModel, providerModels, wireModel, type ModelSpelling } from './models';
export { DEFAULT_TIMEOUT_MS } from './http';
export { DEFAULT_RETRY_AFTER_MS, parseRetryAfter } from './http-errors';
export { parseItems } from './answer-items';
export { NATIVE_FEED_IN_PATH, NATIVE_MODELS, NATIVE_PATHS, NATIVE_STATUS, createNativeAdapter } from './dialects/native';
export { GATEWAY_MODELS, GATEWAY_PATHS, GATEWAY_STATUS, createGatewayAdapter } from './dialects/gateway';
export { RELAY_MODELS, RELAY_PATHS, RELAY_QUERY_BATCH, RELAY_STATUS, createRelayAdapter } from './dialects/relay';
export { ACTION_BLOCKING_TIMEOUT_MS, ACTION_MODELS, ACTION_PATHS, ACTION_STATUS, createActionAdapter } from './dialects/action';
export { ACTION_WORDS, UPLOAD_COVER, UPLOAD_EXTEND } from './dialects/action-bodies';
