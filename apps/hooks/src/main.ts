import { startRefrain, stopOnSignals } from '@refrain/bootstrap';
import { env } from './env';

// The notify_hook receiver alone, at PUBLIC_HOOKS_URL.
const running = await stopOnSignals(startRefrain(env, ['hooks']));
running.logger.info({ url: running.url }, 'hooks listening');
