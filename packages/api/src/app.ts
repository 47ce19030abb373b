import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { ApiDeps } from './deps';
import { requireApiKey } from './http/auth';
import { HttpProblem, problem, sendProblem } from './http/problem';
import { bullBoardRoute } from './routes/bull-board';
import { cancelGenerationRoute } from './routes/generations-cancel';
import { createGenerationRoute } from './routes/generations-create';
import { getGenerationRoute } from './routes/generations-get';
import { listGenerationsRoute } from './routes/generations-list';
import { healthRoutes } from './routes/health';
import { providersRoute } from './routes/providers';

/** The public API as an express app; the api app and the all-in-one process mount it. */
export function createApiApp(deps: ApiDeps, extra: { before?: express.Router[] } = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use((req, res, next) => {
    const incoming = req.get('x-request-id');
    const id = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', id);
    (req as Request & { id: string }).id = id;
    next();
  });
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req) => (req as Request & { id: string }).id,
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
      serializers: { req: (r: { id: string; method: string; url: string }) => ({ id: r.id, method: r.method, url: r.url.split('?')[0] }) },
    }),
  );
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(healthRoutes(deps));
  app.use(bullBoardRoute(deps.kit, deps.adminToken));
  for (const r of extra.before ?? []) app.use(r);

  app.use('/v1', express.json({ limit: deps.bodyLimit ?? '64kb', type: () => true }));
  app.use('/v1', requireApiKey(deps.database.db));
  app.use(createGenerationRoute(deps));
  app.use(listGenerationsRoute(deps));
  app.use(getGenerationRoute(deps));
  app.use(cancelGenerationRoute(deps));
  app.use(providersRoute(deps));

  app.use((req, _res, next) => next(problem(404, `no route ${req.method} ${req.path}`)));
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    sendProblem(res, toProblem(err, req));
  });
  return app;
}

/** Any error becomes problem+json; internal details stay in the log, never in the answer. */
function toProblem(err: unknown, req: Request): HttpProblem {
  if (err instanceof HttpProblem) return err;
  const e = err as { type?: string; status?: number; statusCode?: number; message?: string; code?: string };
  if (e.type === 'entity.too.large') return problem(413, 'The request body is too large.');
  if (e.type === 'entity.parse.failed') return problem(400, 'The request body is not valid JSON.');
  if (e.type && e.status && e.status < 500) return problem(e.status, 'The request body could not be read.');
  if (isUnavailable(e)) {
    req.log?.error({ err: e.message }, 'dependency unavailable');
    return problem(503, 'A backing service is unavailable; try again shortly.', {}, { 'Retry-After': '5' });
  }
  req.log?.error({ err }, 'unhandled error');
  return problem(500, 'Something went wrong on our side. The request id helps us find it.');
}

function isUnavailable(e: { message?: string; code?: string }): boolean {
  const m = e.message ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001'].includes(e.code ?? '') ||
    /Connection terminated|timeout exceeded when trying to connect|Stream isn't writeable|Connection is closed|ECONNREFUSED/i.test(m)
  );
}
