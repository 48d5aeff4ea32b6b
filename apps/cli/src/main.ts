#!/usr/bin/env node
// The `pallet` executable: runs one command and exits with its documented code (see run-cli.ts).
import { runCli } from './run-cli';

const code = await runCli(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  stderr: process.stderr,
});
process.exit(code);
