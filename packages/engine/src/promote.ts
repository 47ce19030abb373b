import { QUEUES, stepJobId } from '@refrain/contracts';
import type { QueueKit } from '@refrain/queue';

/**
 * Wake a waiting step job now instead of at the end of its delay. A job that is not
 * delayed (active, or already gone) is left alone: it re-reads Postgres itself.
 */
export async function promoteStep(kit: QueueKit, generationId: string, index: number): Promise<boolean> {
  try {
    // By id, in one script call: no need to load the job first (the script refuses a job that is not delayed).
    await kit.queue(QUEUES.steps).getBackend().promote(stepJobId(generationId, index));
    return true;
  } catch {
    return false;
  }
}
