// The `vae` command's subcommands and flags (commander), and how each outcome becomes one message
// and an exit code (exit.ts). Each command loads what it needs when it runs (dynamic import):
// check, compile and fmt the compiler only; train, eval, sample and sweep check their flags,
// then load the runtime (tfjs). `--help` loads neither.
import { Command, CommanderError } from "commander";
import { DataError } from "../runtime/data/errors.js";
import { IoError } from "../runtime/io/files.js";
import type { Io } from "./commands.js";
import { EXIT, internalErrorMessage, UsageError } from "./exit.js";
import {
  evalOptions,
  sampleOptions,
  sweepOptions,
  trainOptions,
  type EvalFlags,
  type SampleFlags,
  type SweepFlags,
  type TrainFlags,
} from "./options.js";

/** The compiler commands, loaded when one runs (so `--help` loads neither compiler nor tfjs). */
const compilerCommands = (): Promise<typeof import("./commands.js")> =>
  import("./commands.js");

type RunCommands = typeof import("./run-commands.js");
/** The runtime commands, once loaded: only they can throw the runtime's error classes. */
let runtime: RunCommands | undefined;

async function loadRuntime(): Promise<RunCommands> {
  runtime ??= await import("./run-commands.js");
  return runtime;
}

/** The exit code and message of an error; anything unexpected is an internal error (exit 2). */
export function outcomeOf(err: unknown): { code: number; message: string } {
  const known =
    err instanceof UsageError ||
    err instanceof IoError ||
    err instanceof DataError
      ? EXIT.couldNotRun
      : runtime?.runtimeExitCode(err);
  if (known === undefined)
    return { code: EXIT.couldNotRun, message: internalErrorMessage(err) };
  const text = (err as Error).message;
  // A spec error is rendered diagnostics, which carry their own file:line:col prefixes.
  return {
    code: known,
    message: known === EXIT.invalidSpec ? `${text}\n` : `vae: ${text}\n`,
  };
}

export interface ProgramIo extends Io {
  /** Receives the exit code of the command that ran. */
  exit: (code: number) => void;
  /** Whether stderr is a terminal (a progress bar instead of one line per epoch). */
  tty: boolean;
  /** The words after `vae` of this invocation, to repeat it in a message. */
  args: () => readonly string[];
}

function runner(io: ProgramIo) {
  return async (action: () => number | Promise<number>): Promise<void> => {
    try {
      io.exit(await action());
    } catch (err) {
      const { code, message } = outcomeOf(err);
      io.err(message);
      io.exit(code);
    }
  };
}

/**
 * No commander default: left out, a new run uses wasm and a resumed one the backend it was
 * trained on (a default would read as asking for wasm, which a cpu run refuses to resume with).
 */
const backendOption = [
  "--backend <name>",
  "wasm | cpu | tensorflow (default: wasm; a resumed run: its own)",
] as const;

export function buildProgram(io: ProgramIo): Command {
  const run = runner(io);
  const program = new Command("vae")
    .description("vaec: a declarative language for variational autoencoders")
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  program
    .command("check")
    .description("check .vae specs; exit 0 when every spec is valid")
    .argument("<files...>", ".vae files")
    .action((files: string[]) =>
      run(async () => (await compilerCommands()).checkCommand(files, io)),
    );
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
      run(async () =>
        (await compilerCommands()).compileCommand(file, options, io),
      ),
    );
  program
    .command("fmt")
    .description("format .vae files in place")
    .argument("<files...>", ".vae files")
    .option("--check", "do not write; exit 1 when a file is not formatted")
    .action((files: string[], options: { check?: boolean }) =>
      run(async () =>
        (await compilerCommands()).fmtCommand(files, options, io),
      ),
    );
  addRuntimeCommands(program, io, run);
  return program;
}

function addRuntimeCommands(
  program: Command,
  io: ProgramIo,
  run: ReturnType<typeof runner>,
): void {
  program
    .command("train")
    .description("train a spec; writes a run directory")
    .argument("<file>", ".vae file")
    .option("--out <dir>", "run directory (default runs/<model>)")
    .option("--epochs <n>", "override the train block's epochs")
    .option("--batch <n>", "override the batch size")
    .option("--seed <n>", "override the seed")
    .option(...backendOption)
    .option("--resume", "continue the run in --out from its last checkpoint")
    .option("--limit <n>", "use only the first N examples (smoke runs)")
    .option(
      "--model <name>",
      "the model to train when the file declares several",
    )
    .action((file: string, flags: TrainFlags) =>
      run(async () => {
        const options = trainOptions(flags);
        const { trainCommand } = await loadRuntime();
        return trainCommand(file, options, io, io.tty, io.args());
      }),
    );
  program
    .command("eval")
    .description(
      "evaluate a run: ELBO, importance-sampled log-likelihood, KL per dimension, active units (JSON)",
    )
    .argument("<dir>", "run directory")
    .option(
      "--split <split>",
      "test | train (default: test if the run has a test set)",
    )
    .option("--iw <k>", "importance samples per example", "100")
    .option(...backendOption)
    .option("--limit <n>", "evaluate only the first N examples")
    .action((dir: string, flags: EvalFlags) =>
      run(async () => {
        const options = evalOptions(flags);
        return (await loadRuntime()).evalCommand(dir, options, io);
      }),
    );
  program
    .command("sample")
    .description("draw from the prior, decode, and write a PNG grid")
    .argument("<dir>", "run directory")
    .option("-n <n>", "how many samples", "64")
    .option("-o, --output <file>", "PNG path (default DIR/samples.png)")
    .option("--seed <n>", "seed of the draw")
    .option(...backendOption)
    .action((dir: string, flags: SampleFlags) =>
      run(async () => {
        const options = sampleOptions(flags);
        return (await loadRuntime()).sampleCommand(dir, options, io);
      }),
    );
  program
    .command("sweep")
    .description(
      "train one run per β; plot the information plane (two-view models) or the rate–distortion plane",
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
    .option(...backendOption)
    .option(
      "--model <name>",
      "the model to sweep when the file declares several",
    )
    .action((file: string, flags: SweepFlags) =>
      run(async () => {
        const options = sweepOptions(flags);
        const { sweepCommand } = await loadRuntime();
        return sweepCommand(file, options, io, io.args());
      }),
    );
}

/**
 * Runs one invocation (the words after `vae`) to its exit code, reported through `io.exit`.
 * Commander prints its own usage errors (unknown option, missing argument): exit 2.
 */
export async function runVae(
  args: readonly string[],
  io: ProgramIo,
): Promise<void> {
  try {
    await buildProgram(io).parseAsync([...args], { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError)
      io.exit(err.exitCode === 0 ? EXIT.ok : EXIT.couldNotRun);
    else {
      const { code, message } = outcomeOf(err);
      io.err(message);
      io.exit(code);
    }
  }
}
