/** One validation issue of a problem+json answer. */
export interface Issue {
  path: (string | number)[];
  message: string;
  code: string;
}

/** A refused request, as the API explained it (RFC 9457 problem+json). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly issues: Issue[] = [],
    readonly step: number | null = null,
    readonly retryAfterS: number | null = null,
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface Client {
  json<T>(path: string, init?: { method?: string; body?: unknown; signal?: AbortSignal }): Promise<T>;
  /** A media file behind the API key (audio, cover), as a Blob. */
  blob(path: string, signal?: AbortSignal): Promise<Blob>;
  /** A raw streaming answer (server-sent events). */
  stream(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<Response>;
}

async function toError(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as { detail?: string; title?: string; issues?: Issue[]; step?: number } | null;
  const retry = Number(res.headers.get('retry-after'));
  return new ApiError(
    res.status,
    body?.detail ?? body?.title ?? `The server answered ${res.status}.`,
    Array.isArray(body?.issues) ? body.issues : [],
    typeof body?.step === 'number' ? body.step : null,
    Number.isFinite(retry) && retry > 0 ? retry : null,
  );
}

/** Talks to this origin's /v1 with the visitor's key; every call is same-origin. */
export function createClient(key: string, fetchImpl: FetchLike = (i, init) => fetch(i, init)): Client {
  const auth = { authorization: `Bearer ${key}` };
  return {
    async json<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
      const res = await fetchImpl(path, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: { ...auth, accept: 'application/json', ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        ...(init.signal ? { signal: init.signal } : {}),
      });
      if (!res.ok) throw await toError(res);
      return (await res.json()) as T;
    },
    async blob(path: string, signal?: AbortSignal): Promise<Blob> {
      const res = await fetchImpl(path, { headers: auth, ...(signal ? { signal } : {}) });
      if (!res.ok) throw await toError(res);
      return res.blob();
    },
    async stream(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
      const res = await fetchImpl(path, { headers: { ...auth, ...headers }, signal, cache: 'no-store' });
      if (!res.ok) throw await toError(res);
      return res;
    },
  };
}

export const mediaPath = (generationId: string, clipId: string, kind: 'audio' | 'image'): string =>
  `/v1/generations/${encodeURIComponent(generationId)}/clips/${encodeURIComponent(clipId)}/${kind}`;
