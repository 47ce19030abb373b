/** Where output goes; tests pass their own. `tty` picks human output, otherwise plain lines. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  tty: boolean;
  color: boolean;
  /** Working directory for relative paths (download, run). */
  cwd: string;
}

/** An error the user can act on; `code` is the exit code (2 = usage). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

const paint = (on: boolean, code: number) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

export function colors(io: Pick<Io, 'color'>) {
  return {
    green: paint(io.color, 32),
    red: paint(io.color, 31),
    yellow: paint(io.color, 33),
    cyan: paint(io.color, 36),
    dim: paint(io.color, 2),
    bold: paint(io.color, 1),
  };
}
