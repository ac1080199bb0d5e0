#!/usr/bin/env node
// The `vae` command: parses flags with commander and calls the library. No logic lives here.
import { Command, CommanderError } from "commander";
import {
  checkCommand,
  compileCommand,
  fmtCommand,
  type Io,
} from "./commands.js";
import { IoError } from "../runtime/io/files.js";

const io: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

function run(action: () => number): void {
  try {
    process.exitCode = action();
  } catch (err) {
    if (!(err instanceof IoError)) throw err;
    process.stderr.write(`vae: ${err.message}\n`);
    process.exitCode = 2;
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
  return program;
}

try {
  buildProgram().parse(process.argv);
} catch (err) {
  if (err instanceof CommanderError)
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  else throw err;
}
