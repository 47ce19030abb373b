import os from 'node:os';
import { parseEnv, startRefrain, stopOnSignals, type Role } from '@refrain/bootstrap';

/**
 * One Refrain process of the benchmark, playing the roles named in argv[2]
 * (`api,hooks` or `worker`), configured from the environment like the apps.
 */
const roles = (process.argv[2] ?? 'api,hooks,worker').split(',') as Role[];
// The worker yields the CPU to the API on a machine shared by every role (docs/performance.md).
if (process.env.BENCH_NICE) os.setPriority(Number(process.env.BENCH_NICE));
const running = await stopOnSignals(startRefrain(parseEnv(process.env), roles));
process.stdout.write(`${JSON.stringify({ ready: true, roles, url: running.url, pid: process.pid })}\n`);
