import { startRefrain, stopOnSignals } from '@refrain/bootstrap';
import { env } from './env';

// The all-in-one process: API, hooks, worker and dashboard on one port; the embedded
// Postgres without DATABASE_URL and the simulator without PROVIDERS (SPEC section 7).
const running = await stopOnSignals(startRefrain(env, ['api', 'worker', 'hooks']));
const key = env.API_KEYS ? '<a key from API_KEYS>' : running.apiKey;
const lines = [
  '',
  `Refrain is running at ${running.url}`,
  `  Studio       ${running.url}/  (the web page: make, follow and listen)`,
  `  API          ${running.url}/v1/generations`,
  `  Dashboard    ${running.url}/admin/queues  (admin token: ${env.ADMIN_TOKEN ? 'from ADMIN_TOKEN' : running.adminToken})`,
  `  API key      ${key}`,
  `  Providers    ${running.providers.map((p) => `${p.name} (${p.dialect})`).join(', ')}`,
  ...running.notes.map((n) => `  Note         ${n}`),
  ...(running.simulatorUrl ? [`  Simulator    ${running.simulatorUrl}`] : []),
  '',
  `Try: curl -s -X POST ${running.url}/v1/generations -H "Authorization: Bearer ${key}" \\`,
  `       -H "Content-Type: application/json" -d '{"steps":[{"op":"generate","gpt_description_prompt":"a calm piano song"}]}'`,
  '',
];
process.stdout.write(lines.join('\n') + '\n');
