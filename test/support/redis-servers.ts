import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { Proc, sparePort, waitForPort } from '../chaos/infra';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const run = promisify(execFile);

/** Poll `check` until it holds, or throw naming `what` after `ms`. */
export async function until(what: string, check: () => Promise<boolean>, ms = 30_000, everyMs = 200): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** One private redis-server (Debian's binary) on a spare loopback port: no persistence, noeviction. */
export class RedisNode {
  readonly proc: Proc;
  constructor(
    readonly name: string,
    readonly port: number,
    readonly dir: string,
    private readonly args: string[],
  ) {
    this.proc = new Proc(name, 'redis-server', args, { PATH: process.env.PATH ?? '/usr/bin:/bin' }, path.join(dir, `${name}.log`));
  }

  static async create(root: string, name: string, extra: string[] = [], port?: number): Promise<RedisNode> {
    const p = port ?? (await sparePort());
    const dir = path.join(root, name);
    fs.mkdirSync(dir, { recursive: true });
    const args = ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--dir', dir, ...extra];
    return new RedisNode(name, p, dir, args);
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.proc.start();
    await waitForPort(this.port, 10_000);
  }

  /** A short-lived client of this node for the test's own checks. */
  async with<T>(fn: (r: Redis) => Promise<T>): Promise<T> {
    const r = new Redis(this.port, '127.0.0.1', { maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null });
    r.on('error', () => {});
    await r.connect();
    try {
      return await fn(r);
    } finally {
      r.disconnect();
    }
  }

  async info(section: string): Promise<Record<string, string>> {
    const text = await this.with((r) => r.info(section));
    return Object.fromEntries(text.split('\r\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]));
  }

  kill9 = () => this.proc.kill9();
  stop = () => this.proc.stop(5_000);
  /** SIGSTOP / SIGCONT: the process keeps its sockets but reads nothing (a stalled replica). */
  pause = () => this.proc.child?.kill('SIGSTOP');
  resume = () => this.proc.child?.kill('SIGCONT');
}

export interface SentinelSet {
  name: string;
  nodes: RedisNode[];
  sentinels: RedisNode[];
  /** REDIS_SENTINELS as an operator writes it. */
  sentinelList: string;
  /** The node the sentinels call master right now. */
  master(): Promise<RedisNode>;
  replicas(): Promise<RedisNode[]>;
  /** Every sentinel knows the others and the replicas, and all agree on the master. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One master, `replicas` replicas, and `sentinels` sentinels (`redis-server --sentinel`),
 * all on spare ports in `root`. Quorum is a majority; `downAfterMs` is how long the
 * master must be silent before the sentinels fail over.
 */
export async function startSentinelSet(root: string, opts: { replicas?: number; sentinels?: number; downAfterMs?: number } = {}): Promise<SentinelSet> {
  const name = 'refrain-test';
  const master = await RedisNode.create(root, 'redis-a');
  await master.start();
  const nodes = [master];
  for (let i = 0; i < (opts.replicas ?? 1); i++) {
    const n = await RedisNode.create(root, `redis-${String.fromCharCode(98 + i)}`, ['--replicaof', '127.0.0.1', String(master.port)]);
    await n.start();
    nodes.push(n);
  }
  const count = opts.sentinels ?? 3;
  const sentinels: RedisNode[] = [];
  for (let i = 0; i < count; i++) {
    const port = await sparePort();
    const dir = path.join(root, `sentinel-${i}`);
    fs.mkdirSync(dir, { recursive: true });
    const conf = path.join(dir, 'sentinel.conf');
    fs.writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${master.port} ${Math.floor(count / 2) + 1}`,
        `sentinel down-after-milliseconds ${name} ${opts.downAfterMs ?? 1500}`,
        `sentinel failover-timeout ${name} 10000`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'),
    );
    const s = new RedisNode(`sentinel-${i}`, port, dir, [conf, '--sentinel']);
    await s.start();
    sentinels.push(s);
  }
  const byPort = (port: number) => nodes.find((n) => n.port === port)!;
  const askMaster = async (s: RedisNode) => Number(((await s.with((r) => r.call('SENTINEL', 'get-master-addr-by-name', name))) as string[])[1]);
  const set: SentinelSet = {
    name,
    nodes,
    sentinels,
    sentinelList: sentinels.map((s) => s.address).join(','),
    master: async () => byPort(await askMaster(sentinels[0]!)),
    replicas: async () => {
      const m = await set.master();
      return nodes.filter((n) => n !== m);
    },
    async settled() {
      await until('the sentinels to agree on one master and see the replicas and each other', async () => {
        const masters = await Promise.all(sentinels.map(askMaster));
        if (new Set(masters).size !== 1) return false;
        const master = byPort(masters[0]!);
        if ((await master.info('replication')).role !== 'master') return false;
        for (const s of sentinels) {
          const others = (await s.with((r) => r.call('SENTINEL', 'sentinels', name))) as unknown[];
          const replicas = (await s.with((r) => r.call('SENTINEL', 'replicas', name))) as string[][];
          const healthy = replicas.filter((fields) => {
            const f = fields[fields.indexOf('flags') + 1] ?? '';
            return f === 'slave' && fields[fields.indexOf('master-link-status') + 1] === 'ok';
          });
          if (others.length !== count - 1 || healthy.length !== nodes.length - 1) return false;
        }
        return true;
      }, 45_000, 300);
    },
    async stop() {
      await Promise.allSettled([...sentinels, ...nodes].map((n) => n.stop()));
    },
  };
  await set.settled();
  return set;
}

export interface RedisCluster {
  masters: RedisNode[];
  all: RedisNode[];
  /** REDIS_CLUSTER_NODES as an operator writes it: the masters' addresses. */
  seeds: string;
  stop(): Promise<void>;
}

/**
 * A Redis Cluster of `masters` masters with `replicasEach` replicas each, made with
 * `redis-cli --cluster create`. Each node's cluster bus gets its own spare port
 * (`cluster-port`), so no port+10000 guess can collide with another test.
 */
export async function startRedisCluster(root: string, opts: { masters?: number; replicasEach?: number } = {}): Promise<RedisCluster> {
  const total = (opts.masters ?? 3) * (1 + (opts.replicasEach ?? 1));
  const all: RedisNode[] = [];
  for (let i = 0; i < total; i++) {
    const bus = await sparePort();
    const n = await RedisNode.create(root, `cluster-${i}`, ['--cluster-enabled', 'yes', '--cluster-port', String(bus), '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '3000']);
    await n.start();
    all.push(n);
  }
  await run('redis-cli', ['--cluster', 'create', ...all.map((n) => n.address), '--cluster-replicas', String(opts.replicasEach ?? 1), '--cluster-yes'], { timeout: 60_000 });
  await until('every cluster node to say cluster_state:ok', async () => {
    for (const n of all) if ((await n.with((r) => r.cluster('INFO'))).includes('cluster_state:ok') === false) return false;
    return true;
  });
  // A replica that never finished its first sync cannot take over: wait for every link.
  await until('every cluster replica to be in sync with its master', async () => {
    for (const n of all) {
      const info = await n.info('replication');
      if (info.role === 'slave' && info.master_link_status !== 'up') return false;
    }
    return true;
  });
  const masters: RedisNode[] = [];
  for (const n of all) if ((await n.info('replication')).role === 'master') masters.push(n);
  return {
    masters,
    all,
    seeds: masters.map((n) => n.address).join(','),
    stop: async () => {
      await Promise.allSettled(all.map((n) => n.stop()));
    },
  };
}

/** A fresh temp dir for one test file's servers; removed by the returned function. */
export function tempRoot(label: string): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `refrain-${label}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
