import os from 'node:os';
import { QUEUES } from '@refrain/contracts';
import { createQueueKit } from '@refrain/queue';

/**
 * The reference: a BullMQ worker process built exactly like Refrain's step worker (same
 * queue kit, connection options and concurrency) whose processor does nothing.
 * argv: redis url, queue prefix, concurrency.
 */
const [url = 'redis://127.0.0.1:6379', prefix = 'rawbench', concurrency = '50'] = process.argv.slice(2);
if (process.env.BENCH_NICE) os.setPriority(Number(process.env.BENCH_NICE)); // the same priority as Refrain's worker
const kit = createQueueKit({ kind: 'redis', url, prefix });
const worker = kit.worker(QUEUES.steps, async () => null, { concurrency: Number(concurrency) });
worker.on('error', () => {});
await worker.waitUntilReady();
process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
const stop = () => void kit.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
