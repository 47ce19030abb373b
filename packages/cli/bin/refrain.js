#!/usr/bin/env node
// The `refrain` bin: the CLI runs from its TypeScript source through tsx, like every app here.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
