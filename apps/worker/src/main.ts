import { startRefrain, stopOnSignals } from '@refrain/bootstrap';
import { env } from './env';

// Queue processors only: step jobs, batch pollers, reconciler. Scale by running more.
const running = await stopOnSignals(startRefrain(env, ['worker']));
running.logger.info({ providers: running.providers.map((p) => p.name) }, 'worker started');
