/** An answer the simulator gives on purpose; each dialect renders it in its own envelope. */
export class SimError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SimError';
  }
}

export const badRequest = (message: string): SimError => new SimError(400, message);
export const notFound = (message: string): SimError => new SimError(404, message);
