#!/usr/bin/env node
// The `vae` command: parses flags with commander and calls the library. No logic lives here.
// Exit codes: 0 ok, 1 invalid spec, 2 usage / file / data error, 3 training stopped (non-finite).
import { Command, CommanderError } from "commander";
import {
  checkCommand,
  compileCommand,
  fmtCommand,
  type Io,
} from "./commands.js";
import {
  evalCommand,
  sampleCommand,
  sweepCommand,
  trainCommand,
  type TrainFlags,
  type SweepFlags,
  type EvalFlags,
  type SampleFlags,
} from "./run-commands.js";
import { BackendError } from "../runtime/backend.js";
import { DataError } from "../runtime/data/errors.js";
import { IoError } from "../runtime/io/files.js";
import { SpecError } from "../runtime/run/runs.js";
import { NonFiniteError } from "../runtime/train/trainer.js";

const io: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/** Known failures print one clear message; anything else is a bug and keeps its stack trace. */
function exitCodeOf(err: unknown): number | undefined {
  if (err instanceof SpecError) return 1;
  if (err instanceof NonFiniteError) return 3;
  if (
    err instanceof IoError ||
    err instanceof DataError ||
    err instanceof BackendError
  )
    return 2;
  return undefined;
}

async function run(action: () => number | Promise<number>): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (err) {
    const code = exitCodeOf(err);
    if (code === undefined) throw err;
    process.stderr.write(
      err instanceof SpecError
        ? `${(err as Error).message}\n`
        : `vae: ${(err as Error).message}\n`,
    );
    process.exitCode = code;
  }
}

export function buildProgram(): Command {
  const program = new Command("vae")
    .description("vaec: a declarative language for variational autoencoders")
    .exitOverride();
  program
    .command("check")
    .description("check .vae specs; exit 0 when every spec is valid")
    .argument("<files...>", ".vae files")
    .action((files: string[]) => run(() => checkCommand(files, io)));
  program
    .command("compile")
    .description("print the validated IR (JSON) or a readable summary")
    .argument("<file>", ".vae file")
    .option("--emit <what>", "ir | summary", "ir")
    .option(
      "--model <name>",
      "the model to emit when the file declares several",
    )
    .action((file: string, options: { emit: string; model?: string }) =>
      run(() => compileCommand(file, options, io)),
    );
  program
    .command("fmt")
    .description("format .vae files in place")
    .argument("<files...>", ".vae files")
    .option("--check", "do not write; exit 1 when a file is not formatted")
    .action((files: string[], options: { check?: boolean }) =>
      run(() => fmtCommand(files, options, io)),
    );
  program
    .command("train")
    .description("train a spec; writes a run directory")
    .argument("<file>", ".vae file")
    .option("--out <dir>", "run directory (default runs/<model>)")
    .option("--epochs <n>", "override the train block's epochs")
    .option("--batch <n>", "override the batch size")
    .option("--seed <n>", "override the seed")
    .option("--backend <name>", "wasm | cpu | tensorflow", "wasm")
    .option("--resume", "continue the run in --out from its last checkpoint")
    .option("--limit <n>", "use only the first N examples (smoke runs)")
    .option(
      "--model <name>",
      "the model to train when the file declares several",
    )
    .action((file: string, flags: TrainFlags) =>
      run(() => trainCommand(file, flags, io, process.stderr.isTTY === true)),
    );
  program
    .command("eval")
    .description(
      "evaluate a run: ELBO, importance-sampled log-likelihood, KL per dimension, active units (JSON)",
    )
    .argument("<dir>", "run directory")
    .option("--split <split>", "test | train", "test")
    .option("--iw <k>", "importance samples per example", "100")
    .option("--backend <name>", "wasm | cpu | tensorflow", "wasm")
    .option("--limit <n>", "evaluate only the first N examples")
    .action((dir: string, flags: EvalFlags) =>
      run(() => evalCommand(dir, flags, io)),
    );
  program
    .command("sample")
    .description("draw from the prior, decode, and write a PNG grid")
    .argument("<dir>", "run directory")
    .option("-n <n>", "how many samples", "64")
    .option("-o, --output <file>", "PNG path (default DIR/samples.png)")
    .option("--seed <n>", "seed of the draw")
    .option("--backend <name>", "wasm | cpu | tensorflow", "wasm")
    .action((dir: string, flags: SampleFlags) =>
      run(() => sampleCommand(dir, flags, io)),
    );
  program
    .command("sweep")
    .description(
      "train one run per β and plot the information plane (two-view models)",
    )
    .argument("<file>", ".vae file")
    .requiredOption(
      "--beta <list>",
      "comma-separated β values, e.g. 1e-4,1e-3,1e-2",
    )
    .option("--epochs <n>", "epochs per run (default: the train block's)")
    .option("--out <dir>", "sweep directory (default runs/<model>-sweep)")
    .option("--limit <n>", "use only the first N examples")
    .option("--seed <n>", "override the seed")
    .option("--backend <name>", "wasm | cpu | tensorflow", "wasm")
    .option(
      "--model <name>",
      "the model to sweep when the file declares several",
    )
    .action((file: string, flags: SweepFlags) =>
      run(() => sweepCommand(file, flags, io)),
    );
  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError)
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  else throw err;
}
