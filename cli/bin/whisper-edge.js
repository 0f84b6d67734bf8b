#!/usr/bin/env node
// The CLI is TypeScript run in place (as the rest of the repository is, through tsx), so a checkout
// needs no build step: `npx whisper-edge …` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
