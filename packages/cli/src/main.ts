import { runCli } from './cli';
import { readCliEnv } from './env';

// `pnpm refrain …` and the `refrain` bin land here. Human output on a terminal, plain when piped.
const env = readCliEnv();
const tty = process.stdout.isTTY === true;
const code = await runCli(process.argv.slice(2), {
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(`${s}\n`),
  tty,
  color: tty && !env.NO_COLOR,
  cwd: env.INIT_CWD ?? process.cwd(),
}, env);
process.exitCode = code;
