import type { Processor, Queue } from 'bullmq';
import type { QueueName } from '@refrain/contracts';

interface Finished {
  queue: QueueName;
  jobId: string;
  /** The lock token the worker held while it ran the job. */
  token: string;
  at: number;
}

/**
 * The jobs this process's workers finished lately, with the lock token each held.
 *
 * Redis replication is asynchronous: after a failover the new master may lack the write
 * that finished a job (moved it to delayed, completed it). There the job still sits in
 * `active` under our token with nobody working on it, until its lock expires and BullMQ's
 * stalled check moves it (up to a minute). This process knows the job is its own and
 * done, so it can hand it back at once (see `requeueOrphans`).
 */
export class RecentlyFinished {
  private readonly entries = new Map<string, Finished>();

  constructor(
    /** Older finishes cannot be missing after a failover: their lock would have expired. */
    private readonly keepMs = 60_000,
    private readonly max = 20_000,
    private readonly now: () => number = Date.now,
  ) {}

  add(queue: QueueName, jobId: string, token: string): void {
    const key = `${queue}/${jobId}`;
    this.entries.delete(key); // re-inserted last: the map stays ordered by time
    this.entries.set(key, { queue, jobId, token, at: this.now() });
    this.prune();
  }

  list(): Finished[] {
    this.prune();
    return [...this.entries.values()];
  }

  private prune(): void {
    const oldest = this.now() - this.keepMs;
    for (const [key, e] of this.entries) {
      if (this.entries.size <= this.max && e.at >= oldest) break;
      this.entries.delete(key);
    }
  }
}

/** The processor, noting each job it finished (returned or threw) with its token. */
export function trackFinished(queue: QueueName, processor: Processor, finished: RecentlyFinished): Processor {
  return async (job, token, signal) => {
    try {
      return await processor(job, token, signal);
    } finally {
      if (token && job.id) finished.add(queue, job.id, token);
    }
  };
}

/**
 * Hand back to `waiting` every job this process finished lately that Redis still shows
 * as active under the same token: the write that finished it was lost. The script checks
 * the token, so a job someone else holds now, or one that really moved on, is left alone.
 * A job the new master shows `delayed` lost the promote and the finish that came after
 * its sleep (a waiting step sleeps until its deadline): it is promoted. Re-running a job
 * is harmless here: it re-reads Postgres.
 */
export async function requeueOrphans(queueOf: (name: QueueName) => Queue, finished: RecentlyFinished): Promise<number> {
  const entries = finished.list();
  let requeued = 0;
  // In slices, so the script calls share round trips on the connection.
  for (let i = 0; i < entries.length; i += 200) {
    const moved = await Promise.all(
      entries.slice(i, i + 200).map((e) =>
        queueOf(e.queue)
          .getBackend()
          .moveJobFromActiveToWait(e.jobId, e.token)
          .then(
            () => 1,
            () => wakeIfDelayed(queueOf(e.queue), e.jobId), // not active under this token: the finish reached this master, or only its sleep did
          ),
      ),
    );
    requeued += moved.reduce<number>((a, b) => a + b, 0);
  }
  return requeued;
}

async function wakeIfDelayed(queue: Queue, jobId: string): Promise<number> {
  try {
    const job = await queue.getJob(jobId);
    if (!job || (await job.getState()) !== 'delayed') return 0;
    await job.promote();
    return 1;
  } catch {
    return 0; // it moved on meanwhile
  }
}
