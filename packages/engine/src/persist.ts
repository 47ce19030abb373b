const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Retry a Postgres write in place for a while. Used for the write right after an upstream
 * accepted a submission: failing it would make the job retry and submit again (a credit
 * spent twice), so a Postgres restart is waited out instead.
 */
export async function persistently<T>(
  write: () => Promise<T>,
  opts: { attempts?: number; delayMs?: number; onRetry?: (err: unknown, attempt: number) => void } = {},
): Promise<T> {
  const attempts = opts.attempts ?? 20;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (attempt >= attempts) throw err;
      opts.onRetry?.(err, attempt);
      await sleep(Math.min((opts.delayMs ?? 250) * attempt, 3000));
    }
  }
}
