import type { Dialect, Op, ProviderConfig } from '@refrain/contracts';
import { ACTION_DEFAULT_MODEL, createActionAdapter } from './dialects/action';
import { GATEWAY_DEFAULT_MODEL, createGatewayAdapter } from './dialects/gateway';
import { NATIVE_DEFAULT_MODEL, createNativeAdapter } from './dialects/native';
import { RELAY_DEFAULT_MODEL, createRelayAdapter } from './dialects/relay';
import type { AdapterContext, AdapterFactory, ProviderAdapter } from './types';

/** One factory per dialect; the Record makes a missing dialect a compile error. */
export const ADAPTER_FACTORIES: Record<Dialect, AdapterFactory> = {
  native: createNativeAdapter,
  gateway: createGatewayAdapter,
  relay: createRelayAdapter,
  action: createActionAdapter,
};

/** The model a dialect uses when the provider configures no default_model. */
export const DIALECT_DEFAULT_MODELS: Record<Dialect, string> = {
  native: NATIVE_DEFAULT_MODEL,
  gateway: GATEWAY_DEFAULT_MODEL,
  relay: RELAY_DEFAULT_MODEL,
  action: ACTION_DEFAULT_MODEL,
};

export type CreateAdapterOptions = Omit<AdapterContext, 'config'>;

/**
 * Picks the dialect's factory. The switch also guards configs built without zod at
 * run time: an unknown dialect fails loudly instead of yielding undefined.
 */
export function factoryFor(dialect: Dialect): AdapterFactory {
  switch (dialect) {
    case 'native':
      return ADAPTER_FACTORIES.native;
    case 'gateway':
      return ADAPTER_FACTORIES.gateway;
    case 'relay':
      return ADAPTER_FACTORIES.relay;
    case 'action':
      return ADAPTER_FACTORIES.action;
    default: {
      const unknown: never = dialect;
      throw new Error(`unknown provider dialect: ${String(unknown)}`);
    }
  }
}

export function createAdapter(config: ProviderConfig, opts: CreateAdapterOptions = {}): ProviderAdapter {
  return factoryFor(config.dialect)({ config, ...opts });
}

export function providerSupports(adapter: Pick<ProviderAdapter, 'operations'>, op: Op): boolean {
  return adapter.operations.includes(op);
}

/** One entry of `GET /v1/providers`. */
export interface ProviderDescription {
  name: string;
  dialect: Dialect;
  operations: Op[];
  models: string[];
  default_model: string;
  /** Callbacks are used: the provider has them on and its dialect can send them. */
  callbacks: boolean;
}

export function describeProvider(config: ProviderConfig): ProviderDescription {
  // Building an adapter does no I/O; it is the single source of operations and models.
  const adapter = createAdapter(config);
  return {
    name: config.name,
    dialect: config.dialect,
    operations: [...adapter.operations],
    models: [...adapter.models],
    default_model: adapter.defaultModel,
    callbacks: (config.callbacks ?? false) && adapter.supportsCallbacks,
  };
}
