import type { Request, RequestHandler, Response } from 'express';
import type { ZodType } from 'zod';
import type { ApiDeps } from '../../deps';

/** The front doors: the seed dialects Refrain serves, and gcui-art/suno-api's routes (docs/doors.md). */
export const DOOR_NAMES = ['relay', 'native', 'gateway', 'action', 'gcui'] as const;
export type DoorName = (typeof DOOR_NAMES)[number];

/** One route of a door: what the OpenAPI document and GET /v1/doors show, and its handler. */
export interface DoorRoute {
  method: 'GET' | 'POST';
  /** OpenAPI style: `/suno/fetch/{task_id}`. */
  path: string;
  summary: string;
  /** The Refrain operation it runs, when it makes a generation. */
  op?: string;
  /** The body it reads (fields it does not know are ignored, as the upstreams do). */
  body?: ZodType;
  /** What it answers, in words. */
  answer: string;
  /** Longest it holds the answer, in seconds, when it waits for the song. */
  holdsS?: number;
  handle(deps: ApiDeps): RequestHandler;
}

export interface Door {
  name: DoorName;
  /** Whose documents it follows. */
  source: string;
  /** How the key is sent. */
  auth: 'bearer' | 'api-key';
  routes: readonly DoorRoute[];
  /** The shape of its error answers (for the OpenAPI document). */
  errorBody: ZodType;
  /** Whether a request path is this door's (its errors then go out in this door's envelope). */
  owns(path: string): boolean;
  /** An error in the door's own envelope; the HTTP status is `status`. */
  sendError(req: Request, res: Response, status: number, message: string): void;
}

/** An express path from an OpenAPI one (`{id}` → `:id`). */
export const expressPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

/** A handler whose promise rejections reach express's error handlers (express 5 does this too; kept explicit). */
export const route = (fn: (req: Request, res: Response) => Promise<void>): RequestHandler => (req, res, next) => {
  fn(req, res).catch(next);
};
