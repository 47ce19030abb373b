import pino, { type DestinationStream, type Logger } from 'pino';
import { scrubLogFields } from './log-scrub';

export type { Logger };

/** Paths that may carry secrets anywhere in a log line; pino replaces them. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["api-key"]',
  'api_key',
  '*.api_key',
  'apiKey',
  '*.apiKey',
  'key',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'notify_hook',
  '*.notify_hook',
  'notifyHook',
  '*.notifyHook',
  'callback_url',
  '*.callback_url',
];

export function createLogger(opts: { level?: string; name?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      name: opts.name,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Statement parameters and data excerpts of database errors never reach a log line.
      formatters: { log: scrubLogFields },
      base: { pid: process.pid },
    },
    opts.destination,
  );
}

/** Hide everything but a short prefix of a secret in text that must mention it. */
export const maskSecret = (s: string): string => (s.length <= 6 ? '***' : `${s.slice(0, 4)}…`);
