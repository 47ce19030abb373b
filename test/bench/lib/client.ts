import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface PostResult {
  status: number;
  id: string | null;
  /** Milliseconds from `startedAt` (the intended send time) to the whole answer read. */
  ms: number;
}

/** The benchmark's HTTP client for the public API: keep-alive connections to one origin. */
export class ApiClient {
  readonly pool: Pool;
  posted = 0;
  errors = 0;
  lastError = '';

  constructor(
    readonly url: string,
    private readonly key: string,
    connections = 64,
  ) {
    this.pool = new Pool(url, { connections, keepAliveTimeout: 30_000 });
  }

  /** POST /v1/generations; `startedAt` (performance.now()) lets open-loop callers count from the scheduled time. */
  async create(body: unknown, startedAt = performance.now()): Promise<PostResult> {
    try {
      const res = await this.pool.request({
        path: '/v1/generations',
        method: 'POST',
        headers: { authorization: `Bearer ${this.key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.body.text();
      const ms = performance.now() - startedAt;
      this.posted++;
      if (res.statusCode !== 202) {
        this.errors++;
        this.lastError = `${res.statusCode} ${text.slice(0, 300)}`;
        return { status: res.statusCode, id: null, ms };
      }
      return { status: 202, id: (JSON.parse(text) as { id: string }).id, ms };
    } catch (err) {
      this.errors++;
      this.lastError = (err as Error).message;
      return { status: 0, id: null, ms: performance.now() - startedAt };
    }
  }

  /** GET a path of the API with the key; null when it does not answer 200. */
  async get<T>(path: string): Promise<T | null> {
    try {
      const res = await this.pool.request({ path, method: 'GET', headers: { authorization: `Bearer ${this.key}` } });
      const text = await res.body.text();
      return res.statusCode === 200 ? (JSON.parse(text) as T) : null;
    } catch {
      return null;
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** A single-step generation; markers (`[sim:…]`) go in the prompt. */
export const single = (provider: string, phase: string, n: number, marker = '') => ({
  provider,
  steps: [{ op: 'generate', gpt_description_prompt: `bench ${phase} ${n} ${marker}`.trim() }],
  metadata: { bench: phase },
});

/** generate → extend → concat. */
export const threeStep = (provider: string, phase: string, n: number) => ({
  provider,
  scenario: 'extend_full',
  input: { gpt_description_prompt: `bench ${phase} ${n}`, continue_at: 20 },
  metadata: { bench: phase },
});
