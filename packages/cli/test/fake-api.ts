import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GenerationView } from '@refrain/contracts';

/** SSE events of one generate step, in the shape of the real /events endpoint. */
export const EVENTS: { event: string; data: Record<string, unknown> }[] = [
  { event: 'generation', data: { status: 'running' } },
  { event: 'step', data: { index: 0, status: 'submitting' } },
  { event: 'step', data: { index: 0, status: 'waiting', upstream_task_id: 'task-1', clip_ids: ['clip-aaaa1111'] } },
  { event: 'clip', data: { id: 'clip-aaaa1111', step: 0, status: 'streaming', audio_url: null } },
  { event: 'clip', data: { id: 'clip-aaaa1111', step: 0, status: 'complete', audio_url: 'AUDIO' } },
  { event: 'step', data: { index: 0, status: 'succeeded', clip_ids: ['clip-aaaa1111'] } },
  { event: 'generation', data: { status: 'succeeded' } },
];

export function view(url: string, final: boolean): GenerationView {
  const t = '2025-01-01T00:00:00.000Z';
  return {
    id: 'gen_fake', status: final ? 'succeeded' : 'queued', provider: 'sim', scenario: null, metadata: {},
    steps: [{ index: 0, provider: 'sim', route: null, op: 'generate', status: final ? 'succeeded' : 'pending', upstream_task_id: final ? 'task-1' : null, clip_ids: final ? ['clip-aaaa1111'] : [], lyrics: null, error: null, started_at: null, finished_at: null }],
    clips: final
      ? [{ id: 'clip-aaaa1111', step: 0, status: 'complete', title: 'Fake Song', tags: null, lyrics: null, audio_url: `${url}/audio/clip-aaaa1111`, video_url: null, image_url: null, duration: 12.5, model: 'chirp-v4' }]
      : [],
    output: final ? { clips: ['clip-aaaa1111'], lyrics: null } : null,
    error: null, created_at: t, updated_at: t, finished_at: final ? '2025-01-01T00:00:03.000Z' : null,
  };
}

export interface FakeApi {
  url: string;
  /** Last-Event-ID headers of each SSE connection, in order. */
  resumes: (string | null)[];
  requests: string[];
  close(): Promise<void>;
}

/**
 * A stand-in for the REST API: the first SSE connection drops after three events, the
 * next must resume with Last-Event-ID. `sse: false` answers 404 on /events.
 */
export async function startFakeApi(opts: { sse?: boolean } = {}): Promise<FakeApi> {
  const resumes: (string | null)[] = [];
  const requests: string[] = [];
  let sent = 0;
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.headers.authorization !== 'Bearer good-key' && !req.url!.startsWith('/audio/')) {
      res.writeHead(401, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ status: 401, title: 'Unauthorized', detail: 'The API key is not valid (unknown or revoked).' }));
      return;
    }
    if (req.url!.startsWith('/audio/')) {
      res.writeHead(200, { 'content-type': 'audio/wav' }).end(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(2000, 1)]));
    } else if (req.url === '/v1/generations/gen_fake/events' && opts.sse !== false) {
      const last = (req.headers['last-event-id'] as string | undefined) ?? null;
      resumes.push(last);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('retry: 100\n\n: comment line\n\n');
      const from = last ? Number(last) : 0;
      const upto = resumes.length === 1 ? 3 : EVENTS.length;
      for (let i = from; i < upto; i++) {
        const data = JSON.stringify(EVENTS[i]!.data).replace('"AUDIO"', JSON.stringify(`${base}/audio/clip-aaaa1111`));
        res.write(`id: ${i + 1}\r\nevent: ${EVENTS[i]!.event}\r\ndata: ${data}\r\n\r\n`);
        sent = Math.max(sent, i + 1);
      }
      if (resumes.length === 1) setTimeout(() => res.socket?.destroy(), 20); // the stream drops
      else res.end();
    } else if (req.url!.endsWith('/events')) {
      res.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ status: 404, title: 'Not Found' }));
    } else if (req.url!.startsWith('/v1/generations/gen_fake')) {
      const final = opts.sse === false ? requests.filter((r) => r.includes('gen_fake')).length > 3 : sent >= EVENTS.length;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(view(base, final)));
    } else if (req.method === 'POST' && req.url === '/v1/generations') {
      res.writeHead(400, { 'content-type': 'application/problem+json' }).end(
        JSON.stringify({ status: 400, title: 'Bad Request', detail: 'request body: steps.0.mv: unknown model', issues: [{ path: ['steps', 0, 'mv'], message: 'unknown model' }] }),
      );
    } else {
      res.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ status: 404, title: 'Not Found', detail: `no route ${req.method} ${req.url}` }));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    resumes,
    requests,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** An Io that keeps what the CLI prints. */
export function captureIo(opts: { tty?: boolean; cwd?: string } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s), tty: opts.tty ?? false, color: false, cwd: opts.cwd ?? process.cwd() },
    out,
    err,
    text: () => out.join('\n'),
  };
}
