/** Attempts of one tenant that may be in flight at once in one worker process, out of its delivery concurrency. */
export const DEFAULT_DELIVERY_SLOTS_PER_TENANT = 5;

/**
 * Per-tenant shares of the delivery worker's slots, in this process: one tenant whose
 * receivers are slow fills at most `perTenant` of them, and the others keep flowing.
 * Counted in memory: the slots are this process's own, so no shared state is needed.
 */
export class TenantSlots {
  private readonly held = new Map<string, number>();

  constructor(readonly perTenant: number) {}

  /** A slot for the tenant and the function that gives it back, or null when its share is in use. */
  take(tenant: string): (() => void) | null {
    const n = this.held.get(tenant) ?? 0;
    if (n >= this.perTenant) return null;
    this.held.set(tenant, n + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const left = (this.held.get(tenant) ?? 1) - 1;
      if (left > 0) this.held.set(tenant, left);
      else this.held.delete(tenant);
    };
  }
}
