import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { metricsRoute } from '@refrain/api';
import type { QueueKit } from '@refrain/queue';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * /metrics (and /healthz) on METRICS_PORT for processes that have no API port: workers
 * and the hooks receiver. Each process has its own counters, so each must be scraped.
 */
export async function listenMetrics(kit: QueueKit, port: number, host: string): Promise<MetricsServer> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(metricsRoute(kit));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${host}:${addr.port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
