import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StartupError, folderError } from '@refrain/core';
import type { PostgresBinaries } from './binaries';
import { currentUserName, ensurePostgresUser, isRoot, probe, type OsUser, type Probe } from './os-user';

/** Where the embedded server's binaries and cluster live, and as whom it runs. */
export interface Placement {
  /** Folder with bin/, lib/, share/. */
  binDir: string;
  /** The cluster (PGDATA). */
  clusterDir: string;
  /** The password of the `refrain` role. */
  password: string;
  /** null: the server runs as the current user. */
  runAs: OsUser | null;
  /** What a person should know about the placement (printed at start when not the plain case). */
  notes: string[];
}

/**
 * DATA_DIR/embedded-postgres.json: which cluster belongs to this DATA_DIR and its password.
 * Written when a cluster is made, so a restart finds the same one.
 */
interface Pointer {
  cluster: string;
  password: string;
}

const POINTER = 'embedded-postgres.json';
/** The password of clusters made before the pointer file existed. */
const LEGACY_PASSWORD = 'refrain';

export interface PlaceOptions {
  dataDir: string;
  /** Root only: where binaries and clusters go when the postgres user cannot reach the project or DATA_DIR. */
  runtimeDir: string;
  binaries: PostgresBinaries;
  /** Injected in unit tests. */
  probe?: Probe;
  root?: boolean;
  postgresUser?: () => OsUser;
}

/**
 * As a normal user everything stays where it is: the binaries in node_modules, the cluster
 * in DATA_DIR/pg. As root the server runs as `postgres`, which must reach both. A private
 * folder on the way (a 0700 home, `mktemp -d`) hides them from it, and Refrain does not
 * change modes of folders it does not own: it copies the binaries, and puts the cluster,
 * under `runtimeDir` (root-owned, world-traversable), and records that in DATA_DIR.
 */
export function placeServer(opts: PlaceOptions): Placement {
  const dataDir = path.resolve(opts.dataDir);
  ensureWritableFolder(dataDir, 'DATA_DIR');
  const pointerFile = path.join(dataDir, POINTER);
  const pointer = readPointer(pointerFile);
  const inPlace = path.join(dataDir, 'pg');
  const root = opts.root ?? isRoot();
  // A cluster made before the pointer file existed kept the fixed password.
  const inPlaceCluster = (): Pointer =>
    fs.existsSync(path.join(inPlace, 'PG_VERSION')) ? { cluster: inPlace, password: LEGACY_PASSWORD } : writePointer(pointerFile, inPlace);
  if (!root) {
    const { cluster, password } = pointer ?? inPlaceCluster();
    return { binDir: opts.binaries.dir, clusterDir: cluster, password, runAs: null, notes: [] };
  }

  const run = opts.probe ?? probe;
  const user = (opts.postgresUser ?? ensurePostgresUser)();
  const notes: string[] = [];
  const binReachable = (dir: string) => run(path.join(dir, 'bin', 'postgres'), ['--version'], user);
  let binDir = opts.binaries.dir;
  if (!binReachable(binDir)) {
    binDir = copyBinaries(opts.binaries, opts.runtimeDir);
    if (!binReachable(binDir)) {
      throw new StartupError(
        `As root, the embedded Postgres runs as user ${user.name}, which cannot run its binaries even from PG_RUNTIME_DIR (${binDir}).`,
        `Point PG_RUNTIME_DIR at a folder every user can traverse (e.g. /var/lib/refrain), or set DATABASE_URL.`,
      );
    }
    notes.push(`user ${user.name} cannot reach the project's folder, so its Postgres binaries were copied to ${binDir}`);
  }

  const { cluster: clusterDir, password } =
    pointer ??
    (fs.existsSync(inPlace) || run('test', ['-x', dataDir], user)
      ? inPlaceCluster()
      : writePointer(pointerFile, path.join(opts.runtimeDir, 'clusters', clusterName(dataDir))));
  if (clusterDir !== inPlace) notes.push(`user ${user.name} cannot reach DATA_DIR (${dataDir}), so its cluster lives in ${clusterDir} (recorded in ${pointerFile})`);
  ensureWritableFolder(path.dirname(clusterDir), clusterDir === inPlace ? 'DATA_DIR' : 'PG_RUNTIME_DIR');
  fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  fs.chownSync(clusterDir, user.uid, user.gid);
  fs.chmodSync(clusterDir, 0o700);
  if (!run('test', ['-w', clusterDir], user)) {
    throw new StartupError(
      `As root, the embedded Postgres runs as user ${user.name}, which cannot reach its cluster folder ${clusterDir}.`,
      clusterDir === inPlace
        ? `Move DATA_DIR/pg away (Refrain then keeps the cluster under PG_RUNTIME_DIR), or set DATA_DIR to a folder ${user.name} can reach.`
        : `Point PG_RUNTIME_DIR at a folder every user can traverse, or set DATABASE_URL.`,
    );
  }
  return { binDir, clusterDir, password, runAs: user, notes };
}

/** `/root/refrain/.data` → `refrain-data-1a2b3c4d`: tells a person whose cluster it is. */
function clusterName(dataDir: string): string {
  const words = [path.basename(path.dirname(dataDir)), path.basename(dataDir)].map((w) => w.replace(/^\.+/, '').replace(/[^\w.-]/g, '_')).filter(Boolean);
  return [...words, randomBytes(4).toString('hex')].join('-');
}

/**
 * Make `dir` (and its parents) and check it can be written, or a StartupError naming
 * `variable`. A failed mkdir reports ENOENT on a read-only file system, so the reason is
 * taken from the nearest folder that exists.
 */
export function ensureWritableFolder(dir: string, variable: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    throw folderError(whyNotWritable(dir) ?? err, variable, dir, currentUserName());
  }
}

function whyNotWritable(dir: string): unknown {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(d)) {
      if (!fs.statSync(d).isDirectory()) return Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
      try {
        fs.accessSync(d, fs.constants.W_OK | fs.constants.X_OK);
        return null;
      } catch (err) {
        return err;
      }
    }
    if (d === path.dirname(d)) return null;
  }
}

function readPointer(file: string): Pointer | null {
  const dataDir = path.dirname(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const p = JSON.parse(text) as Partial<Pointer>;
    if (typeof p.cluster === 'string' && typeof p.password === 'string') return { cluster: path.resolve(dataDir, p.cluster), password: p.password };
  } catch {
    // fall through
  }
  throw new StartupError(`${file} is not the file Refrain wrote (it should name the embedded cluster and its password).`, `Restore it, or move DATA_DIR away to start afresh.`);
}

/**
 * A new cluster gets a random password, kept (0600) in DATA_DIR with where the cluster is
 * (relative when it is inside DATA_DIR, so the folder can move).
 */
function writePointer(pointerFile: string, cluster: string): Pointer {
  const password = randomBytes(18).toString('base64url');
  const dataDir = path.dirname(pointerFile);
  const rel = path.relative(dataDir, cluster);
  const stored = rel.startsWith('..') || path.isAbsolute(rel) ? cluster : rel;
  try {
    fs.writeFileSync(pointerFile, JSON.stringify({ cluster: stored, password } satisfies Pointer, null, 2) + '\n', { mode: 0o600 });
  } catch (err) {
    throw folderError(err, 'DATA_DIR', dataDir, currentUserName());
  }
  return { cluster, password };
}

/** Copy bin/, lib/, share/ to runtimeDir/pg-<version> once (into a temp name, then renamed: never half there). */
function copyBinaries(binaries: PostgresBinaries, runtimeDir: string): string {
  const target = path.join(runtimeDir, `pg-${binaries.version}`);
  if (fs.existsSync(path.join(target, '.complete'))) return target;
  const tmp = `${target}.tmp-${process.pid}`;
  try {
    fs.mkdirSync(runtimeDir, { recursive: true, mode: 0o755 });
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.cpSync(binaries.dir, tmp, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(tmp, 0o755);
    fs.writeFileSync(path.join(tmp, '.complete'), `${binaries.version}\n`);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (fs.existsSync(path.join(target, '.complete'))) return target; // another process copied it meanwhile
    throw folderError(err, 'PG_RUNTIME_DIR', runtimeDir, currentUserName());
  }
  return target;
}
