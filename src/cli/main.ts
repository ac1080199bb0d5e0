#!/usr/bin/env node
// The `vae` command's entry point: installs the last resort, runs the invocation, exits 0–3.
// Exit codes: 0 ok, 1 invalid spec, 2 the command could not run (usage, file, data, backend,
// memory, Ctrl-C, internal error), 3 training stopped (non-finite). See exit.ts.
import { installLastResort } from "./exit.js";
import { runVae } from "./program.js";

const err = (text: string): void => void process.stderr.write(text);
installLastResort(err);

await runVae(process.argv.slice(2), {
  out: (text) => void process.stdout.write(text),
  err,
  exit: (code) => (process.exitCode = code),
  tty: process.stderr.isTTY === true,
  args: () => process.argv.slice(2),
});
