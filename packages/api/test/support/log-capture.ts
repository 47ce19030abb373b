import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@refrain/observability';

/** A real pino logger (with the production redaction) whose lines land in memory. */
export function capturedLogger(level = 'debug'): { logger: Logger; lines: string[]; text(): string } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level, name: 'test', destination }), lines, text: () => lines.join('\n') };
}
