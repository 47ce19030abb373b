import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { redisTopologyFromEnv, refrainEnv } from '@refrain/bootstrap';

// Docker cannot run here: the Sentinel compose file and the k8s notes are checked against
// the code that reads them, as test/infra/deploy-files.happy.test.ts does for the rest.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');

interface Service {
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
type Compose = { services: Record<string, Service> };

/** `docker compose -f a -f b`: maps merge key by key, a command is replaced. */
function mergeCompose(base: Compose, over: Compose): Compose {
  const services: Record<string, Service> = { ...base.services };
  for (const [name, s] of Object.entries(over.services)) {
    const b = services[name] ?? {};
    services[name] = { ...b, ...s, environment: { ...b.environment, ...s.environment }, depends_on: { ...b.depends_on, ...s.depends_on } };
  }
  return { services };
}

const base = parse(read('infra/compose.yaml'), { merge: true }) as Compose;
const sentinelFile = parse(read('infra/compose.sentinel.yaml'), { merge: true }) as Compose;
const merged = mergeCompose(base, sentinelFile);
const sentinels = Object.keys(sentinelFile.services).filter((n) => n.startsWith('sentinel-'));
/** The sentinel config a sentinel service writes, with compose's `$$` as the shell sees it. */
const sentinelConf = (name: string) => merged.services[name]!.command!.join(' ').replaceAll('$$', '$');
/** .env.example as compose reads it (KEY=VALUE, quotes stripped). */
const vars = Object.fromEntries(
  read('infra/.env.example')
    .split('\n')
    .map((l) => /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => [m[1]!, m[2]!.replace(/^'(.*)'$/, '$1')]),
);
/** Compose interpolation of ${VAR}, ${VAR:-default}, ${VAR:?error} from .env.example. */
const fill = (env: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{([A-Z_][A-Z0-9_]*)(?::([-?])([^}]*))?\}/g, (_m, n: string, op?: string, arg?: string) => vars[n] || (op === '-' ? (arg ?? '') : ''))]),
  );

describe('infra/compose.sentinel.yaml (with compose.yaml)', () => {
  it('adds a replica and three sentinels watching the master by name, with a majority quorum', () => {
    expect(sentinels).toEqual(['sentinel-1', 'sentinel-2', 'sentinel-3']);
    for (const s of sentinels) {
      const conf = sentinelConf(s);
      expect(conf).toContain('sentinel monitor refrain redis 6379 2');
      expect(conf).toContain('exec redis-server /data/sentinel.conf --sentinel');
      expect(conf).toContain('sentinel announce-ip ${SENTINEL_HOST}');
      expect(merged.services[s]!.environment!.SENTINEL_HOST).toBe(s);
    }
    expect(merged.services['redis-replica']!.command!.join(' ')).toContain('--replicaof redis 6379');
  });

  it('keeps every node that can become master on AOF and noeviction', () => {
    for (const n of ['redis', 'redis-replica']) {
      const cmd = merged.services[n]!.command!.join(' ');
      expect(cmd, n).toContain('--appendonly yes');
      expect(cmd, n).toContain('--maxmemory-policy noeviction');
    }
  });

  it('points api, worker and hooks at the sentinels instead of one node, after the sentinels are healthy', () => {
    for (const app of ['api', 'worker', 'hooks']) {
      const env = refrainEnv.safeParse(fill(merged.services[app]!.environment!));
      expect(env.success, `${app}: ${env.error?.message}`).toBe(true);
      const topology = redisTopologyFromEnv(env.data!);
      expect(topology).toEqual({ kind: 'sentinel', name: 'refrain', sentinels: sentinels.map((host) => ({ host, port: 26379 })) });
      for (const s of sentinels) expect(merged.services[app]!.depends_on![s]).toEqual({ condition: 'service_healthy' });
    }
  });
});

describe('infra/k8s/refrain.yaml, Redis alternatives', () => {
  const text = read('infra/k8s/refrain.yaml');
  const secret = parseAllDocuments(text).map((d) => d.toJS() as { kind: string; stringData?: Record<string, string> }).find((d) => d.kind === 'Secret')!.stringData!;
  /** The commented-out lines of one alternative, as the Secret would hold them once uncommented. */
  const alternative = (first: string) => {
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.includes(`#   ${first}:`));
    const out: Record<string, string> = {};
    for (const l of lines.slice(start)) {
      const m = /^\s*#\s{3}([A-Z_]+): (\S+)/.exec(l);
      if (!m) break;
      out[m[1]!] = m[2]!;
    }
    return out;
  };

  it('shows how to use Sentinel or a Cluster instead, with values Refrain accepts', () => {
    const { REDIS_URL: _one, ...rest } = secret;
    const sentinel = refrainEnv.parse({ ...rest, ...alternative('REDIS_SENTINELS') });
    expect(redisTopologyFromEnv(sentinel)).toMatchObject({ kind: 'sentinel', name: 'mymaster', password: 'change-me', sentinelPassword: 'change-me' });
    const cluster = refrainEnv.parse({ ...rest, ...alternative('REDIS_CLUSTER_NODES') });
    expect(redisTopologyFromEnv(cluster)).toMatchObject({ kind: 'cluster', password: 'change-me' });
    // Left as written, the example keeps exactly one Redis.
    expect(redisTopologyFromEnv(refrainEnv.parse(secret))).toEqual({ kind: 'single', url: 'redis://redis:6379' });
  });
});
