import type { GenerationView } from '@refrain/contracts';
import { CliError } from './io';

export interface ClientOptions {
  url: string;
  apiKey?: string;
  adminToken?: string;
}

export interface GenerationPage {
  data: GenerationView[];
  next_cursor: string | null;
}

type Auth = 'key' | 'admin';

/** A problem+json answer as one readable line: status, detail, and the first issues. */
async function failure(res: Response, what: string): Promise<CliError> {
  const text = await res.text().catch(() => '');
  let detail = text.slice(0, 300);
  try {
    const p = JSON.parse(text) as { title?: string; detail?: string; issues?: { path?: unknown[]; message?: string }[] };
    const issues = (p.issues ?? []).slice(0, 3).map((i) => `${(i.path ?? []).join('.') || '(root)'}: ${i.message}`);
    detail = [p.detail ?? p.title, ...issues].filter(Boolean).join('; ');
  } catch {
    // not JSON: keep the text
  }
  return new CliError(`${what} failed: HTTP ${res.status}${detail ? ` — ${detail}` : ''}`);
}

/** The REST API of SPEC section 5 as plain functions (admin keys: the api package's keys module). */
export function createClient(opts: ClientOptions) {
  const base = opts.url.replace(/\/+$/, '');

  function headers(auth: Auth, extra: Record<string, string> = {}): Record<string, string> {
    const token = auth === 'admin' ? opts.adminToken : opts.apiKey;
    if (!token) {
      throw new CliError(
        auth === 'admin' ? 'No admin token: set ADMIN_TOKEN or pass --admin-token.' : 'No API key: set REFRAIN_API_KEY or pass --api-key.',
        2,
      );
    }
    return { authorization: `Bearer ${token}`, ...extra };
  }

  async function send(method: string, path: string, auth: Auth, body?: unknown, extra: Record<string, string> = {}): Promise<Response> {
    const h = headers(auth, body === undefined ? extra : { 'content-type': 'application/json', ...extra });
    try {
      return await fetch(`${base}${path}`, { method, headers: h, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch (err) {
      const c = (err as { cause?: { code?: string; message?: string } }).cause;
      const cause = c?.code ?? c?.message ?? (err as Error).message;
      throw new CliError(`Cannot reach Refrain at ${base} (${cause}). Set REFRAIN_URL or pass --url.`);
    }
  }

  async function json<T>(method: string, path: string, auth: Auth, body?: unknown): Promise<T> {
    const res = await send(method, path, auth, body);
    if (!res.ok) throw await failure(res, `${method} ${path}`);
    return res.status === 204 ? (undefined as T) : ((await res.json()) as T);
  }

  const enc = encodeURIComponent;
  return {
    url: base,
    /** The admin token, or a usage error saying where to set it. */
    adminToken: () => headers('admin').authorization!.slice('Bearer '.length),
    createGeneration: (body: unknown) => json<GenerationView>('POST', '/v1/generations', 'key', body),
    getGeneration: (id: string, waitS = 0) =>
      json<GenerationView>('GET', `/v1/generations/${enc(id)}${waitS > 0 ? `?wait=${waitS}` : ''}`, 'key'),
    listGenerations(q: { status?: string; limit?: number; cursor?: string }) {
      const qs = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== undefined).map(([k, v]): [string, string] => [k, String(v)]));
      return json<GenerationPage>('GET', `/v1/generations${qs.size ? `?${qs}` : ''}`, 'key');
    },
    /** The SSE stream, as a raw response (the caller reads and closes it). */
    events: (id: string, lastEventId?: string) =>
      send('GET', `/v1/generations/${enc(id)}/events`, 'key', undefined, {
        accept: 'text/event-stream',
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      }),
  };
}
export type Client = ReturnType<typeof createClient>;
