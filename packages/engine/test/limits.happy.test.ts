import { describe, expect, it } from 'vitest';
import { CircuitBreaker, RateGate, memoryStore } from '../src/limits';

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

describe('rate gate', () => {
  it('lets max_rps requests through per second and makes the next one wait for the next second', async () => {
    const gate = new RateGate(memoryStore());
    // Start just after a second begins, so the first three fall in one window.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 10));
    const second = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 3; i++) await gate.acquire('p', 3);
    expect(Math.floor(Date.now() / 1000)).toBe(second);
    await gate.acquire('p', 3);
    expect(Math.floor(Date.now() / 1000)).toBeGreaterThan(second);
  });

  it('holds every request while the provider is paused after a 429', async () => {
    const gate = new RateGate(memoryStore());
    await gate.pause('p', 300);
    expect(await gate.pausedUntil('p')).not.toBeNull();
    const started = Date.now();
    await gate.acquire('p', 100);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});
