// The `vae` subcommands of the language: check, compile, fmt. Each returns its exit code. They
// load the compiler only, never the runtime (tfjs), so they start fast.
import { compile, selectModel } from "../compiler/driver.js";
import { renderDiagnostics } from "../compiler/diagnostics/render.js";
import { formatVae } from "../compiler/format/format.js";
import { summarize } from "../ir/summary.js";
import { IoError, readSource, writeAtomic } from "../runtime/io/files.js";
import { emitFlag } from "./flags.js";

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

function report(
  io: Io,
  file: string,
  text: string,
  diagnostics: Parameters<typeof renderDiagnostics>[0],
): void {
  if (diagnostics.length > 0)
    io.err(renderDiagnostics(diagnostics, file, text) + "\n");
}

function summaryLine(errors: number, warnings: number, file: string): string {
  const parts = [`${errors} error${errors === 1 ? "" : "s"}`];
  if (warnings > 0)
    parts.push(`${warnings} warning${warnings === 1 ? "" : "s"}`);
  return `${file}: ${parts.join(", ")}`;
}

export function checkCommand(files: string[], io: Io): number {
  let failed = false;
  for (const file of files) {
    const text = readSource(file);
    const result = compile(text, file);
    report(io, file, text, result.diagnostics);
    const errors = result.diagnostics.filter(
      (d) => d.severity === "error",
    ).length;
    if (errors > 0) {
      failed = true;
      io.err(
        summaryLine(errors, result.diagnostics.length - errors, file) + "\n",
      );
    }
  }
  return failed ? 1 : 0;
}

export function compileCommand(
  file: string,
  options: { emit: string; model?: string },
  io: Io,
): number {
  const emit = emitFlag(options.emit);
  const text = readSource(file);
  const result = compile(text, file);
  report(io, file, text, result.diagnostics);
  if (result.models.length === 0) return 1;
  const ir = selectModel(result.models, options.model, file);
  if (typeof ir === "string") throw new IoError(ir);
  io.out(
    emit === "ir" ? JSON.stringify(ir, null, 2) + "\n" : summarize(ir) + "\n",
  );
  return 0;
}

export function fmtCommand(
  files: string[],
  options: { check?: boolean },
  io: Io,
): number {
  let status = 0;
  for (const file of files) {
    const text = readSource(file);
    const result = formatVae(text);
    if (result.formatted === undefined) {
      report(io, file, text, result.diagnostics);
      status = 1;
      continue;
    }
    if (result.formatted === text) continue;
    if (options.check) {
      io.err(`${file}: not formatted\n`);
      status = 1;
    } else {
      writeAtomic(file, result.formatted);
      io.out(`formatted ${file}\n`);
    }
  }
  return status;
}
