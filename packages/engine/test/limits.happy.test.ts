import { describe, expect, it } from 'vitest';
import { CircuitBreaker, memoryStore } from '../src/limits';

describe('circuit breaker', () => {
  it('opens after the threshold, lets one probe through after the cooldown, and closes on its success', async () => {
    let now = 1_000_000;
    const changes: string[] = [];
    const b = new CircuitBreaker(memoryStore(() => now), {
      threshold: 3,
      cooldownMs: 5000,
      now: () => now,
      onChange: (_p, from, to) => changes.push(`${from}->${to}`),
    });
    for (let i = 0; i < 2; i++) await b.failure('p');
    expect((await b.state('p')).state).toBe('closed');
    await b.failure('p');
    expect(await b.state('p')).toEqual({ state: 'open', openUntil: now + 5000 });
    expect(await b.admit('p')).toEqual({ ok: false, retryAt: now + 5000 });
    now += 5000;
    expect((await b.state('p')).state).toBe('half_open');
    expect(await b.admit('p')).toEqual({ ok: true });
    expect((await b.admit('p')).ok).toBe(false); // only one probe at a time
    await b.success('p');
    expect((await b.state('p')).state).toBe('closed');
    expect(changes).toEqual(['closed->open', 'half_open->closed']);
  });

  it('reopens when the probe fails', async () => {
    let now = 0;
    const b = new CircuitBreaker(memoryStore(() => now), { threshold: 1, cooldownMs: 1000, now: () => now });
    await b.failure('p');
    now += 1000;
    expect((await b.admit('p')).ok).toBe(true);
    await b.failure('p');
    expect(await b.state('p')).toEqual({ state: 'open', openUntil: 2000 });
  });
});
