import type { ParseArgsConfig } from 'node:util';
import type { Client } from './client';
import { CliError, type Io } from './io';

export type Values = Record<string, string | boolean | undefined>;

export interface Ctx {
  io: Io;
  client: Client;
  values: Values;
  positionals: string[];
  /** The command's usage text, for error messages. */
  usage: string;
}

export interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(ctx: Ctx): Promise<number>;
}

export const str = (v: Values, name: string): string | undefined => (typeof v[name] === 'string' ? (v[name] as string) : undefined);
export const flag = (v: Values, name: string): boolean => v[name] === true;

export function positional(ctx: Ctx, index: number, what: string): string {
  const p = ctx.positionals[index];
  if (!p) throw new CliError(`Missing ${what}.\n\nUsage:\n${ctx.usage}`, 2);
  return p;
}

/** Exit code of a finished generation: 0 only when it succeeded. */
export const exitFor = (status: string): number => (status === 'succeeded' ? 0 : 1);
