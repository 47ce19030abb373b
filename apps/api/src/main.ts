import { startRefrain, stopOnSignals } from '@refrain/bootstrap';
import { env } from './env';

// The public API (and Bull Board) alone; workers and hooks run as their own processes.
const running = await stopOnSignals(startRefrain(env, ['api']));
running.logger.info({ url: running.url }, 'api listening');
