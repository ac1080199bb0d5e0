// Runs the `vae` command in-process (runVae) with its output captured, for the CLI tests.
import { expect } from "vitest";
import { runVae } from "../../src/cli/program.js";

export async function vae(
  ...args: string[]
): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  let code = -1;
  await runVae(args, {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    exit: (c) => void (code = c),
    tty: false,
    args: () => args,
  });
  return { code, out, err };
}

export const noStack = (text: string): void =>
  expect(text, text).not.toMatch(/^\s+at /m);
