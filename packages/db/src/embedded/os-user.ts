import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { StartupError } from '@refrain/core';

/** The account a child process runs as (root's children switch to it). */
export interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

/** Runs a command, as another user when given; true when it exited 0. */
export type Probe = (cmd: string, args: string[], as: OsUser | null) => boolean;

export const probe: Probe = (cmd, args, as) => {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000, ...(as ? { uid: as.uid, gid: as.gid } : {}) });
  return r.status === 0;
};

export const isRoot = (): boolean => process.getuid?.() === 0;

export function currentUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

function lookup(name: string): OsUser | null {
  const id = (flag: string) => {
    const r = spawnSync('id', [flag, name], { encoding: 'utf8', timeout: 10_000 });
    return r.status === 0 ? Number.parseInt(r.stdout, 10) : Number.NaN;
  };
  const uid = id('-u');
  const gid = id('-g');
  return Number.isInteger(uid) && Number.isInteger(gid) ? { name, uid, gid } : null;
}

/**
 * Postgres refuses to run as root, so root runs it as `postgres`, creating that system
 * account when it is missing (as Debian's postgresql package would).
 */
export function ensurePostgresUser(name = 'postgres'): OsUser {
  const found = lookup(name);
  if (found) return found;
  const groupExists = spawnSync('getent', ['group', name], { stdio: 'ignore' }).status === 0;
  const r = spawnSync(
    'useradd',
    ['--system', ...(groupExists ? ['--gid', name] : ['--user-group']), '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name],
    { encoding: 'utf8', timeout: 30_000 },
  );
  const made = r.status === 0 ? lookup(name) : null;
  if (made) return made;
  const why = r.error ? r.error.message : (r.stderr || `useradd exited ${r.status}`).trim();
  throw new StartupError(
    `Postgres refuses to run as root, and there is no user "${name}" to run the embedded Postgres as; creating one failed (${why}).`,
    `Create the user (useradd --system --user-group ${name}), run Refrain as a normal user, or set DATABASE_URL to a Postgres server.`,
  );
}
