import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { refrainEnv } from '@refrain/bootstrap';
import { parseEnv as parseSimulatorEnv } from '../../apps/simulator/src/env';

// Docker cannot run here, so the deployment files are checked against the code they
// start: every command must name a real app entry point, every variable one that app reads.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');
const REFRAIN_VARS = new Set(Object.keys(refrainEnv.shape));
const APP_OF: Record<string, string> = { api: 'api', worker: 'worker', hooks: 'hooks', simulator: 'simulator' };

/** .env.example as compose reads it: KEY=VALUE, quotes stripped, comments ignored. */
function dotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!.replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
  }
  return out;
}

/** Compose interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{([A-Z_][A-Z0-9_]*)(?::([-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    const v = vars[name];
    if (v !== undefined && v !== '') return v;
    if (op === '?') throw new Error(`${name} is required: ${arg}`);
    return op === '-' ? (arg ?? '') : '';
  });
}

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  profiles?: string[];
  healthcheck?: { test: string[] };
}

const vars = dotenv(read('infra/.env.example'));
const compose = parse(read('infra/compose.yaml'), { merge: true }) as { services: Record<string, Service> };
const envOf = (s: Service) => Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), vars)]));

/** `node --import tsx apps/<app>/src/main.ts`, and that file exists. */
function expectEntryPoint(command: string[] | undefined, app: string) {
  expect(command?.slice(0, 3)).toEqual(['node', '--import', 'tsx']);
  expect(command?.[3]).toBe(`apps/${app}/src/main.ts`);
  expect(fs.existsSync(path.join(ROOT, command![3]!))).toBe(true);
}

describe('infra/compose.yaml', () => {
  it('runs Postgres, Redis, api, two workers, hooks and an optional simulator', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'hooks', 'postgres', 'redis', 'simulator', 'worker']);
    expect(compose.services.worker!.deploy?.replicas).toBe(2);
    expect(compose.services.simulator!.profiles).toEqual(['simulator']);
    for (const name of ['api', 'worker', 'hooks']) {
      expect(compose.services[name]!.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    }
  });

  it('keeps Redis with AOF and noeviction, as BullMQ needs', () => {
    const cmd = compose.services.redis!.command!.join(' ');
    expect(cmd).toContain('--appendonly yes');
    expect(cmd).toContain('--maxmemory-policy noeviction');
  });

  it("starts each app service with its real entry point, from this repo's Dockerfile", () => {
    for (const [name, app] of Object.entries(APP_OF)) {
      const s = compose.services[name]!;
      expectEntryPoint(s.command, app);
      expect(s.build).toEqual({ context: '..', dockerfile: 'infra/Dockerfile' });
      expect(fs.existsSync(path.join(ROOT, 'infra', s.build!.context, s.build!.dockerfile))).toBe(true);
    }
  });

  it('gives api, worker and hooks only variables Refrain reads, and values its schema accepts', () => {
    for (const name of ['api', 'worker', 'hooks']) {
      const env = envOf(compose.services[name]!);
      expect(Object.keys(env).filter((k) => !REFRAIN_VARS.has(k))).toEqual([]);
      const parsed = refrainEnv.safeParse(env);
      expect(parsed.success, `${name}: ${parsed.error?.message}`).toBe(true);
      const e = parsed.data!;
      // Production wiring: real Postgres and Redis, fixed keys, reachable on all interfaces.
      expect(e.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(e.REDIS_URL).toBe('redis://redis:6379');
      expect(e.API_KEYS && e.ADMIN_TOKEN && e.PROVIDERS).toBeTruthy();
      expect(e.HOST).toBe('0.0.0.0');
      if (name !== 'api') expect(e.METRICS_PORT).toBe(9464);
    }
    const api = envOf(compose.services.api!);
    expect(compose.services.api!.ports).toEqual([`\${API_PORT:-3000}:${api.PORT}`]);
  });

  it('gives the simulator only the variables it reads, and values it accepts', () => {
    const env = envOf(compose.services.simulator!);
    for (const k of Object.keys(env)) expect(k in parseSimulatorEnv({ [k]: env[k] }), k).toBe(true);
    expect(parseSimulatorEnv(env)).toMatchObject({ PORT: 3090, HOST: '0.0.0.0' });
    // The providers in .env.example point at this service.
    const providers = refrainEnv.parse({ PROVIDERS: vars.PROVIDERS }).PROVIDERS!;
    expect(providers[0]!.base_url).toBe('http://simulator:3090');
    expect(providers[0]!.api_key).toBe(env.SIM_API_KEY);
  });

  it('refuses to start without the secrets .env.example lists', () => {
    expect(() => envOf({ environment: compose.services.api!.environment })).not.toThrow();
    const { POSTGRES_PASSWORD: _drop, ...rest } = vars;
    expect(() => Object.values(compose.services.api!.environment!).map((v) => interpolate(String(v), rest))).toThrow(/POSTGRES_PASSWORD/);
  });
});

describe('infra/Dockerfile', () => {
  const text = read('infra/Dockerfile');
  const stages = [...text.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)].map((m) => ({ image: m[1]!, name: m[2] }));

  it('is multi-stage on the Node version the repo declares', () => {
    expect(stages.map((s) => s.name)).toEqual(['base', 'deps', 'check', 'runtime']);
    expect(text).toMatch(/ARG NODE_VERSION=20\b/);
    expect(JSON.parse(read('package.json')).engines.node).toBe('>=20');
  });

  it('copies files that exist and runs a real entry point as a non-root user', () => {
    for (const m of text.matchAll(/^COPY (?!--from)(.+) \.\/$/gm)) {
      for (const f of m[1]!.split(/\s+/)) expect(fs.existsSync(path.join(ROOT, f)), f).toBe(true);
    }
    expect(text).toMatch(/^USER node$/m);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(text)![1]!) as string[];
    expectEntryPoint(cmd, 'api');
    // tsx must be an installed dependency for `--import tsx` to resolve.
    expect(JSON.parse(read('package.json')).devDependencies.tsx).toBeTruthy();
  });
});

describe('infra/k8s/refrain.yaml', () => {
  const docs = parseAllDocuments(read('infra/k8s/refrain.yaml')).map((d) => d.toJS() as {
    kind: string;
    metadata: { name: string };
    data?: Record<string, string>;
    stringData?: Record<string, string>;
    spec?: { replicas?: number; template: { spec: { containers: { command: string[]; envFrom: unknown[]; ports: { containerPort: number }[] }[] } } };
  });
  const config = docs.find((d) => d.kind === 'ConfigMap')!.data!;
  const secret = docs.find((d) => d.kind === 'Secret')!.stringData!;

  it('configures only variables Refrain reads, with values its schema accepts', () => {
    const env = { ...config, ...secret };
    expect(Object.keys(env).filter((k) => !REFRAIN_VARS.has(k))).toEqual([]);
    const parsed = refrainEnv.safeParse(env);
    expect(parsed.success, parsed.error?.message).toBe(true);
  });

  it('runs api, worker (2+) and hooks with their real entry points and ports', () => {
    const deployments = Object.fromEntries(docs.filter((d) => d.kind === 'Deployment').map((d) => [d.metadata.name, d]));
    expect(Object.keys(deployments).sort()).toEqual(['refrain-api', 'refrain-hooks', 'refrain-worker']);
    for (const app of ['api', 'worker', 'hooks']) {
      const c = deployments[`refrain-${app}`]!.spec!.template.spec.containers[0]!;
      expectEntryPoint(c.command, app);
      expect(c.envFrom).toEqual([{ configMapRef: { name: 'refrain-config' } }, { secretRef: { name: 'refrain-secrets' } }]);
      const ports = c.ports.map((p) => p.containerPort);
      if (app !== 'worker') expect(ports).toContain(Number(config.PORT));
      if (app !== 'api') expect(ports).toContain(Number(config.METRICS_PORT));
    }
    expect(deployments['refrain-worker']!.spec!.replicas).toBeGreaterThanOrEqual(2);
  });
});
