import { startSimulator, type SimLogger } from '@refrain/simulator';
import { readEnv } from './env';

/** JSON lines on stdout, pino-like, so the same log tooling reads every app. */
function line(level: 'info' | 'warn', o: object, msg?: string): void {
  const out = level === 'warn' ? console.warn : console.log;
  out(JSON.stringify({ level, time: new Date().toISOString(), app: 'simulator', ...o, msg }));
}
const logger: SimLogger = {
  info: (o, m) => line('info', o, m),
  warn: (o, m) => line('warn', o, m),
};

const env = readEnv();
const sim = await startSimulator({
  port: env.PORT,
  host: env.HOST,
  apiKey: env.SIM_API_KEY,
  durationMs: env.SIM_DURATION_MS,
  publicUrl: env.PUBLIC_URL,
  logger,
});
// The key itself is never logged; only whether the default one is in use.
logger.info(
  { url: sim.url, publicUrl: env.PUBLIC_URL ?? sim.url, durationMs: sim.config().durationMs, defaultKey: !env.SIM_API_KEY },
  'simulator listening',
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'simulator stopping');
  await sim.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
