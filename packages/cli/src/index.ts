export { runCli, usage, COMMANDS } from './cli';
export { readCliEnv, type CliEnv } from './env';
export { CliError, type Io } from './io';
export { readSse, type SseEvent } from './sse';
export { applyEvent, followGeneration } from './follow';
export { generateBody, runBody } from './commands/submit';
export { clipFileName } from './commands/download';
