import { createRequire } from 'node:module';
import path from 'node:path';
import { Router, type Response } from 'express';

const SWAGGER_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
/** Only the files the page needs; the package's own index.html points at the petstore. */
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png', 'favicon-16x16.png']);

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Refrain API</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
  <div id="ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// No inline script, so the page can run under a strict Content-Security-Policy.
const INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#ui',
  deepLinking: true,
  tryItOutEnabled: true,
  persistAuthorization: false,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
`;

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const withCsp = (res: Response) => res.setHeader('Content-Security-Policy', CSP);

/** GET /docs — read the OpenAPI document and try it (Swagger UI, served from our own origin). */
export function docsPageRoute(): Router {
  const router = Router();
  router.get('/docs', (_req, res) => {
    withCsp(res);
    res.type('html').send(PAGE);
  });
  router.get('/docs/init.js', (_req, res) => {
    withCsp(res);
    res.type('application/javascript').send(INIT);
  });
  router.get('/docs/assets/:file', (req, res, next) => {
    const file = String(req.params.file);
    if (!ASSETS.has(file)) return next();
    withCsp(res);
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendFile(file, { root: SWAGGER_DIR });
  });
  return router;
}
