import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { SimContext } from './context';
import { controlRouter } from './control';
import { actionRouter } from './dialects/action';
import { gatewayRouter } from './dialects/gateway';
import { nativeRouter } from './dialects/native';
import { relayRouter } from './dialects/relay';
import { dialectOfPath, sendError } from './http';
import { mediaRouter } from './media';
import type { SimConfig, SimConfigPatch, SimStats, SimulatorOptions } from './types';

export type {
  Phase,
  SimConfig,
  SimConfigPatch,
  SimDialect,
  SimFaults,
  SimLogger,
  SimShapes,
  SimRateLimit,
  SimRateStats,
  SimStats,
  SimulatorOptions,
  TaskSummary,
} from './types';
export { DEFAULT_API_KEY, INSUFFICIENT_CREDITS_MESSAGE } from './context';
export { isLoopbackHost, isLoopbackUrl } from './callbacks';
export { makeWav, audioSeconds, SAMPLE_RATE } from './audio';
export { phaseAt } from './tasks';
export { REJECT_MESSAGE } from './songs';
export {
  FAILURE_MESSAGE,
  clipView,
  gatewayLyricsBare,
  gatewayQueryClip,
  gatewaySong,
  lyricsView,
  nativeBatch,
  nativeClip,
  nativeFeedPage,
} from './render';
// Pure renderers of every wire shape (the front doors serve them too).
export { actionAnswer, actionClip, actionRecord, relayTask } from './render-records';
export { DEFAULT_SHAPES } from './config';

export interface Simulator {
  /** Mountable express app with every route. */
  app: Express;
  /** Clears tasks, counters, timers and config back to the options. */
  reset(): void;
  /** Same as GET /_sim/stats. */
  stats(): SimStats;
  /** Same as POST /_sim/config (merged; faults key by key). Throws on an invalid value. */
  configure(c: SimConfigPatch): void;
  /** The current config (GET /_sim/config). */
  config(): SimConfig;
}

export interface RunningSimulator extends Simulator {
  url: string;
  close(): Promise<void>;
}

function build(opts: SimulatorOptions): { sim: Simulator; ctx: SimContext } {
  const ctx = new SimContext(opts);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/_sim', controlRouter(ctx));
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(mediaRouter(ctx));
  app.use(nativeRouter(ctx));
  app.use(gatewayRouter(ctx));
  app.use(relayRouter(ctx));
  app.use(actionRouter(ctx));
  // Unknown paths still answer in the envelope of the dialect they look like.
  app.use((req, res) => {
    sendError(res, dialectOfPath(req.path), 404, `No route: ${req.method} ${req.path}`);
  });
  const sim: Simulator = {
    app,
    reset: () => ctx.reset(),
    stats: () => ctx.stats.snapshot(ctx.store.size),
    configure: (c) => {
      ctx.configure(c);
    },
    config: () => ctx.config,
  };
  return { sim, ctx };
}

export function createSimulator(opts: SimulatorOptions = {}): Simulator {
  return build(opts).sim;
}

/** Starts the simulator on host:port (port 0 = ephemeral; host default 127.0.0.1). */
export async function startSimulator(
  opts: SimulatorOptions & { port?: number; host?: string } = {},
): Promise<RunningSimulator> {
  const { sim, ctx } = build(opts);
  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = sim.app.listen(opts.port ?? 0, host);
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  // A wildcard bind is still reached on loopback; IPv6 literals need brackets in URLs.
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  ctx.publicUrl ??= url;
  let closing: Promise<void> | undefined;
  return {
    ...sim,
    url,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        ctx.stopAll();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
