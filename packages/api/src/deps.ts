import type { EngineDeps } from '@refrain/engine';

export interface ApiDeps extends EngineDeps {
  adminToken: string;
  defaultProvider: string;
  /** Body size limit of JSON requests. */
  bodyLimit?: string;
}
