import { QUEUES, stepJobId } from '@refrain/contracts';
import type { QueueKit } from '@refrain/queue';

/**
 * Wake a waiting step job now instead of at the end of its delay. A job that is not
 * delayed (active, or already gone) is left alone: it re-reads Postgres itself.
 */
export async function promoteStep(kit: QueueKit, generationId: string, index: number): Promise<boolean> {
  const job = await kit.queue(QUEUES.steps).getJob(stepJobId(generationId, index));
  if (!job) return false;
  try {
    await job.promote();
    return true;
  } catch {
    return false;
  }
}
