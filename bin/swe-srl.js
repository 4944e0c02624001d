#!/usr/bin/env node
// Entry point: runs the TypeScript CLI through tsx so that a checkout works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
