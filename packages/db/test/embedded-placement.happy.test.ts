import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { placeServer, type PlaceOptions } from '../src/embedded/placement';
import { serverFailure } from '../src/embedded/server';
import type { Probe } from '../src/embedded/os-user';

// Where the embedded server's binaries and cluster go, decided with the user switch and
// the "can user postgres reach this path" probe injected (real folders, no real server).
const dirs: string[] = [];
const tmp = (name: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `refrain-place-${name}-`));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function fakeBinaries() {
  const dir = path.join(tmp('bin'), 'native');
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'bin', 'postgres'), '#!/bin/sh\n', { mode: 0o755 });
  fs.mkdirSync(path.join(dir, 'lib'));
  fs.symlinkSync('libpq.so.5.18', path.join(dir, 'lib', 'libpq.so.5'));
  return { dir, version: '18.4.0-test', major: '18' };
}

const me = { name: 'postgres', uid: process.getuid!(), gid: process.getgid!() };
/** The postgres user reaches exactly the paths under `reachable`. */
const probeReaching = (...reachable: string[]): Probe => (cmd, args) => {
  const target = cmd === 'test' ? args[1]! : cmd;
  return reachable.some((r) => target === r || target.startsWith(`${r}/`));
};
const asRoot = (o: Omit<PlaceOptions, 'root' | 'postgresUser'>): PlaceOptions => ({ ...o, root: true, postgresUser: () => me });

describe('placing the embedded server', () => {
  it('as a normal user: binaries where npm put them, the cluster in DATA_DIR/pg, a password kept for restarts', () => {
    const binaries = fakeBinaries();
    const dataDir = path.join(tmp('data'), '.data');
    const p = placeServer({ dataDir, runtimeDir: tmp('rt'), binaries, root: false });
    expect(p).toMatchObject({ binDir: binaries.dir, clusterDir: path.join(dataDir, 'pg'), runAs: null, notes: [] });
    expect(p.password).toMatch(/^[\w-]{20,}$/);
    expect(fs.statSync(path.join(dataDir, 'embedded-postgres.json')).mode & 0o777).toBe(0o600);
    expect(placeServer({ dataDir, runtimeDir: tmp('rt'), binaries, root: false }).password).toBe(p.password);
  });

  it('keeps the fixed password of a cluster made before the pointer file existed', () => {
    const dataDir = tmp('legacy');
    fs.mkdirSync(path.join(dataDir, 'pg'));
    fs.writeFileSync(path.join(dataDir, 'pg', 'PG_VERSION'), '18\n');
    expect(placeServer({ dataDir, runtimeDir: tmp('rt'), binaries: fakeBinaries(), root: false }).password).toBe('refrain');
  });

  it('as root where user postgres reaches everything: nothing moves', () => {
    const binaries = fakeBinaries();
    const dataDir = tmp('data');
    const p = placeServer(asRoot({ dataDir, runtimeDir: tmp('rt'), binaries, probe: probeReaching(binaries.dir, dataDir) }));
    expect(p).toMatchObject({ binDir: binaries.dir, clusterDir: path.join(dataDir, 'pg'), runAs: me, notes: [] });
    expect(fs.statSync(p.clusterDir).mode & 0o777).toBe(0o700);
  });

  it('as root in a private folder: binaries copied and the cluster kept under PG_RUNTIME_DIR, the same one after a restart', () => {
    const binaries = fakeBinaries();
    const runtimeDir = tmp('rt');
    const dataDir = path.join(tmp('private'), '.data');
    const opts = asRoot({ dataDir, runtimeDir, binaries, probe: probeReaching(runtimeDir) });
    const p = placeServer(opts);
    expect(p.binDir).toBe(path.join(runtimeDir, 'pg-18.4.0-test'));
    expect(fs.readlinkSync(path.join(p.binDir, 'lib', 'libpq.so.5'))).toBe('libpq.so.5.18'); // symlinks stay links
    expect(fs.existsSync(path.join(p.binDir, 'bin', 'postgres'))).toBe(true);
    expect(path.dirname(p.clusterDir)).toBe(path.join(runtimeDir, 'clusters'));
    expect(path.basename(p.clusterDir)).toMatch(/^refrain-place-private-\w+-data-[0-9a-f]{8}$/);
    expect(p.notes.join('\n')).toContain(`cannot reach DATA_DIR (${dataDir})`);
    const again = placeServer(opts);
    expect(again).toMatchObject({ binDir: p.binDir, clusterDir: p.clusterDir, password: p.password });
  });

  it('as root: refuses a PG_RUNTIME_DIR that user postgres cannot reach either', () => {
    const binaries = fakeBinaries();
    expect(() => placeServer(asRoot({ dataDir: tmp('private'), runtimeDir: tmp('rt'), binaries, probe: () => false }))).toThrow(/PG_RUNTIME_DIR/);
  });
});

describe("the server's own words become a message that says what to do", () => {
  const spec = { binDir: '/b', clusterDir: '/data/pg', runAs: null, port: 54329 };
  it.each([
    ['initdb: error: could not create directory "/data/pg/base": No space left on device', /disk holding .*\/data\/pg.* is full/],
    ['LOG:  could not bind IPv4 address "127.0.0.1": Address already in use', /127\.0\.0\.1:54329: the port is in use/],
    ['FATAL:  could not open file "global/pg_control": Permission denied', /denied access/],
    ['initdb: error: directory "/data/pg" exists but is not empty', /no finished Postgres cluster/],
  ])('%s', (said, message) => {
    expect(serverFailure('initdb', spec, said, 1).message).toMatch(message);
  });
});

describe('no user to run Postgres as', () => {
  it('says so, and what to do, when the account cannot be made', async () => {
    const { ensurePostgresUser } = await import('../src/embedded/os-user');
    expect(() => ensurePostgresUser('no such user!')).toThrow(/no user "no such user!" to run the embedded Postgres as; creating one failed/);
  });
});
