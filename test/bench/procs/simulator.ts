import { startSimulator } from '@refrain/simulator';

/** The simulator as its own process, silent (a log line per task would cost more than the task). */
const silent = { info: () => {}, warn: () => {} };
const sim = await startSimulator({ port: 0, host: '127.0.0.1', apiKey: 'sim-key', durationMs: Number(process.argv[2] ?? 0), logger: silent });
process.stdout.write(`${JSON.stringify({ ready: true, url: sim.url, pid: process.pid })}\n`);
const stop = () => void sim.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
