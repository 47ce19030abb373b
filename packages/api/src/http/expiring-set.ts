/**
 * Strings remembered for a while, at most `max` of them (the oldest go first). In memory:
 * per process, which is what a cache in front of a Postgres lookup needs.
 */
export class ExpiringSet {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
    private readonly now: () => number = Date.now,
  ) {}

  has(value: string): boolean {
    const t = this.until.get(value);
    if (t === undefined) return false;
    if (t > this.now()) return true;
    this.until.delete(value);
    return false;
  }

  add(value: string): void {
    this.until.delete(value); // re-inserted at the end: Map order is age order
    this.until.set(value, this.now() + this.ttlMs);
    while (this.until.size > this.max) this.until.delete(this.until.keys().next().value!);
  }

  delete(value: string): void {
    this.until.delete(value);
  }
}
