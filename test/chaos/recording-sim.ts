import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createSimulator, type SimLogger, type Simulator } from '@refrain/simulator';

/** One submission (POST to a dialect route) as the simulator answered it. */
export interface SubmissionRecord {
  /** Which simulator took it (its `name`). */
  on: string;
  /** Epoch ms when the request arrived. */
  at: number;
  path: string;
  status: number;
  /** The body as the simulator parsed it. */
  body: unknown;
  /** The answer's text: it carries the task and clip ids the simulator made. */
  answer: string;
  /** A 2xx JSON answer: the simulator accepted it and created a task. */
  accepted: boolean;
}

export interface RecordingSimulator {
  name: string;
  url: string;
  port: number;
  sim: Simulator;
  submissions: SubmissionRecord[];
  /**
   * Hold the answers of accepted submissions this long (0 = off): the task exists upstream
   * but the caller does not know it yet. It widens the crash window on purpose.
   */
  holdAnswers(ms: number): void;
  /**
   * A provider outage: the listening socket is closed and every open connection destroyed
   * (requests in flight are cut; new connections are refused) until `up()` listens again on
   * the same port. The simulator itself lives on: the tasks it accepted keep running and are
   * there when it comes back (an outage, not a loss of the provider's data).
   */
  down(): Promise<void>;
  up(): Promise<void>;
  /** False between `down()` and `up()`. */
  readonly listening: boolean;
  close(): Promise<void>;
}

/**
 * The simulator, in this process, behind a thin recorder: every POST to an upstream route
 * (not the /_sim control routes) is kept with its body and its answer, so the suite can
 * tell which step each accepted submission belongs to and when it arrived.
 */
export async function startRecordingSimulator(opts: { name: string; durationMs: number; apiKey: string; logger?: SimLogger; port?: number }): Promise<RecordingSimulator> {
  const sim = createSimulator({ durationMs: opts.durationMs, apiKey: opts.apiKey, ...(opts.logger ? { logger: opts.logger } : {}) });
  const submissions: SubmissionRecord[] = [];
  let holdMs = 0;
  const handler = sim.app as unknown as (req: http.IncomingMessage, res: http.ServerResponse) => void;
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (req.method !== 'POST' || url.startsWith('/_sim') || !isSubmission(url)) {
      handler(req, res);
      return;
    }
    const at = Date.now();
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown) => {
      if (typeof chunk === 'string' || chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    };
    const write = res.write.bind(res) as (...a: unknown[]) => boolean;
    const end = res.end.bind(res) as (...a: unknown[]) => http.ServerResponse;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk);
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== 'function') keep(chunk);
      const answer = Buffer.concat(chunks).toString('utf8');
      let json = false;
      try {
        JSON.parse(answer);
        json = true;
      } catch {
        // garbage fault
      }
      const accepted = res.statusCode >= 200 && res.statusCode < 300 && json;
      submissions.push({ on: opts.name, at, path: url.split('?')[0]!, status: res.statusCode, body: (req as unknown as { body?: unknown }).body ?? null, answer, accepted });
      if (accepted && holdMs > 0) {
        setTimeout(() => end(chunk, ...rest), holdMs);
        return res;
      }
      return end(chunk, ...rest);
    }) as typeof res.end;
    handler(req, res);
  });
  // Every socket, so an outage can cut the ones closeAllConnections() does not know (not yet parsed).
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  const listen = (p: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(opts.port ?? 0);
  const { port } = server.address() as AddressInfo;
  let listening = true;
  const cut = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      for (const s of sockets) s.destroy();
    });
  return {
    name: opts.name,
    url: `http://127.0.0.1:${port}`,
    port,
    sim,
    submissions,
    holdAnswers: (ms) => {
      holdMs = ms;
    },
    get listening() {
      return listening;
    },
    down: async () => {
      if (!listening) return;
      listening = false;
      await cut();
    },
    up: async () => {
      if (listening) return;
      await listen(port);
      listening = true;
    },
    close: async () => {
      sim.reset(); // stops its task and callback timers
      if (listening) await cut();
      listening = false;
    },
  };
}

/** POSTs that create something upstream (the relay's POST /suno/fetch is a status query). */
export function isSubmission(url: string): boolean {
  const p = url.split('?')[0]!;
  return !p.startsWith('/_sim') && p !== '/suno/fetch' && !p.startsWith('/suno/fetch/');
}

/** The simulator's own duplicate key: path and body without the callback URLs, keys sorted. */
export function submissionKey(s: SubmissionRecord): string {
  const body = s.body;
  const rest =
    body !== null && typeof body === 'object' && !Array.isArray(body)
      ? Object.fromEntries(Object.entries(body as Record<string, unknown>).filter(([k]) => k !== 'notify_hook' && k !== 'callback_url'))
      : body;
  return `${s.path} ${canonical(rest)}`;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
