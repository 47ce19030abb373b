import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router } from 'express';
import { QUEUES } from '@refrain/contracts';
import type { QueueKit } from '@refrain/queue';
import { requireAdmin } from '../http/auth';
import type { AuthFailureLimit } from '../http/auth-failures';

/** Bull Board at /admin/queues, behind ADMIN_TOKEN. */
export function bullBoardRoute(kit: QueueKit, adminToken: string, failures?: AuthFailureLimit): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath('/admin/queues');
  createBullBoard({
    queues: Object.values(QUEUES).map((name) => new BullMQAdapter(kit.queue(name) as never, { readOnlyMode: false })),
    serverAdapter: adapter,
  });
  const router = Router();
  router.use('/admin/queues', requireAdmin(adminToken, failures), adapter.getRouter());
  return router;
}
