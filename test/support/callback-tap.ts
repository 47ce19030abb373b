import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One callback as it reached the tap: where it goes, what it carries. */
export interface TappedCallback {
  path: string;
  body: string;
}

export interface CallbackTap {
  /** Give to Refrain as PUBLIC_HOOKS_URL: providers then call the tap. */
  url: string;
  /** Every callback, recorded as it arrives (before Refrain has it). */
  seen: TappedCallback[];
  /** The same once Refrain answered, with its status (502: Refrain was gone). */
  answered: (TappedCallback & { status: number })[];
  /** Where the tap forwards (Refrain's URL, known once it listens). */
  setTarget(target: string): void;
  close(): Promise<void>;
}

/**
 * A plain-http hop between the providers and Refrain's hooks that records every callback:
 * what anyone on the path would see (the hook tokens travel in the URL).
 */
export function startCallbackTap(): Promise<CallbackTap> {
  const seen: TappedCallback[] = [];
  const answered: CallbackTap['answered'] = [];
  let target = '';
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      seen.push({ path: req.url ?? '', body });
      let status = 502;
      let answer = '';
      try {
        const r = await fetch(`${target}${req.url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        status = r.status;
        answer = await r.text();
      } catch {
        // A late callback after Refrain stopped (the test is over): answered as a proxy would, not an unhandled rejection.
      }
      answered.push({ path: req.url ?? '', body, status });
      res.writeHead(status).end(answer);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, seen, answered, setTarget: (t) => (target = t), close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}
