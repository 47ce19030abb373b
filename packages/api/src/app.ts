import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { ApiDeps } from './deps';
import { requireApiKey } from './http/auth';
import { AuthFailureLimit, DEFAULT_AUTH_FAILURES_PER_MINUTE } from './http/auth-failures';
import { ConnectionCaps, DEFAULT_CONNECTIONS_PER_KEY, DEFAULT_CONNECTIONS_PER_TENANT } from './http/connection-caps';
import { clientErrors } from './http/client-errors';
import { loggablePath } from './http/log-redaction';
import { v1Guards } from './http/v1-guards';
import { problem, sendProblem } from './http/problem';
import { toProblem } from './http/to-problem';
import { adminKeysRoute } from './routes/admin-keys';
import { bullBoardRoute } from './routes/bull-board';
import { docsPageRoute } from './routes/docs-page';
import { openApiRoute } from './routes/openapi';
import { cancelGenerationRoute } from './routes/generations-cancel';
import { clipMediaRoute } from './routes/clip-media';
import { deliveriesRoute } from './routes/deliveries';
import { generationEventsRoute } from './routes/generation-events';
import { webhookSecretRoute } from './routes/webhook-secret';
import { createGenerationRoute } from './routes/generations-create';
import { getGenerationRoute } from './routes/generations-get';
import { listGenerationsRoute } from './routes/generations-list';
import { healthRoutes } from './routes/health';
import { metricsRoute } from './routes/metrics';
import { webRoute } from './routes/web';
import { openAiBodyParser, openAiErrors, openAiRoutes } from './routes/openai';
import { providersRoute } from './routes/providers';
import { doorsRoute } from './routes/doors';
import { DOOR_PREFIXES, doorErrors, doorKeyHeader, doorRoutes } from './doors';

/** The public API as an express app; the api app and the all-in-one process mount it. */
export function createApiApp(deps: ApiDeps, extra: { before?: express.Router[] } = {}): express.Express {
  const app = express();
  const redis = deps.kit.redis();
  const redisPrefix = deps.kit.config.kind === 'redis' ? deps.kit.config.prefix : 'refrain';
  const failures = new AuthFailureLimit({ perMinute: deps.authFailuresPerMinute ?? DEFAULT_AUTH_FAILURES_PER_MINUTE, redis, redisPrefix, logger: deps.logger });
  const caps = new ConnectionCaps({
    perKey: deps.connectionsPerKey ?? DEFAULT_CONNECTIONS_PER_KEY,
    perTenant: deps.connectionsPerTenant ?? DEFAULT_CONNECTIONS_PER_TENANT,
    redis,
    redisPrefix,
    logger: deps.logger,
  });
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
      serializers: { req: (r: { id: string; method: string; url: string }) => ({ id: r.id, method: r.method, url: loggablePath(r.url) }) },
    }),
  );
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(healthRoutes(deps));
  app.use(metricsRoute(deps.kit)); // Prometheus scrape, no API key (docs/deploy.md)
  app.use(webRoute()); // the studio at / (packages/studio)
  app.use(bullBoardRoute(deps.kit, deps.adminToken, failures));
  app.use(adminKeysRoute(deps.database.db, deps.adminToken, failures)); // /admin/keys, ADMIN_TOKEN
  app.use(openApiRoute()); // public: /openapi.json
  app.use(docsPageRoute()); // public: /docs
  for (const r of extra.before ?? []) app.use(r);

  // The key first, on /v1 and the front doors' prefixes: no body is read, parsed or limited for a caller who has none.
  const keyed = ['/v1', ...DOOR_PREFIXES];
  app.use(doorKeyHeader()); // the gateway door's `api-key` header, read as the Bearer key
  app.use(keyed, requireApiKey(deps.database.db, { failures }));
  app.use(openAiBodyParser()); // chat bodies may be larger; before the generic parser
  // The front doors (docs/doors.md) take the same key, limits and guards as /v1, mounted here with it.
  app.use(keyed, express.json({ limit: deps.bodyLimit ?? '64kb', type: () => true }));
  app.use(v1Guards(deps, keyed)); // rate limit, JSON depth, unstorable text, Idempotency-Key
  app.use(createGenerationRoute(deps));
  app.use(listGenerationsRoute(deps));
  app.use(getGenerationRoute(deps, caps));
  app.use(cancelGenerationRoute(deps));
  app.use(generationEventsRoute(deps, caps));
  app.use(clipMediaRoute(deps, caps)); // clip audio and covers, from the studio's own origin
  app.use(deliveriesRoute(deps));
  app.use(webhookSecretRoute(deps));
  app.use(providersRoute(deps));
  app.use(openAiRoutes(deps, caps)); // /v1/chat/completions, /v1/models (docs/chat.md)
  app.use(doorsRoute(deps)); // GET /v1/doors
  app.use(doorRoutes(deps, { holdConnection: (res) => caps.hold(res) })); // relay, native, gateway, action, gcui-art/suno-api (docs/doors.md)

  app.use((req, _res, next) => next(problem(404, `no route ${req.method} ${req.path}`)));
  app.use(openAiErrors); // errors under /v1/chat and /v1/models in OpenAI's shape (before clientErrors, which would recast them)
  app.use(clientErrors); // 4xx raised by express and its parsers, in our words
  app.use(doorErrors); // errors on a door's paths in that door's envelope
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    sendProblem(res, toProblem(err, req));
  });
  return app;
}
