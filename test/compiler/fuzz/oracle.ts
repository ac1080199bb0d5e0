// The fuzz oracle: what must hold for every input text, whatever it is. compile(), the renderer and
// the formatter never throw; every code is catalogued; every span lies inside the text and its
// line/col agree with its offset; a valid spec formats into a text with the same IR.
// Plain checks collecting violations (no `expect`), so the same oracle serves the vitest fuzz test
// and scripts/fuzz.ts, and runs fast enough for 100 000 inputs.
import { performance } from "node:perf_hooks";
import { compile, type CompileResult } from "../../../src/compiler/driver.js";
import { allMessages } from "../../../src/compiler/diagnostics/catalog.js";
import type { Diagnostic } from "../../../src/compiler/diagnostics/diagnostic.js";
import { renderDiagnostics } from "../../../src/compiler/diagnostics/render.js";
import { formatVae } from "../../../src/compiler/format/format.js";
import type { IrModel } from "../../../src/ir/types.js";
import { validateIr } from "../../../src/ir/validate.js";
import type { Position } from "../../../src/compiler/span.js";

const catalog = new Map(allMessages.map((m) => [m.code, m.severity]));

/**
 * Line starts computed independently of src/compiler/span.ts, as the reference: `\r\n`, `\r` and
 * `\n` each end one line.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === "\r" && text[i + 1] === "\n") i++;
      if (c === "\r" || c === "\n") this.starts.push(i + 1);
    }
  }

  /** 1-based line and column of a 0-based offset. */
  at(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.starts[lo]! + 1 };
  }
}

export interface Verdict {
  violations: string[];
  codes: string[];
  /** Compiled to at least one model. */
  valid: boolean;
  /** compile + render + format (+ recompiling the formatted text), in ms. */
  ms: number;
}

function attempt<T>(
  what: string,
  violations: string[],
  f: () => T,
): T | undefined {
  try {
    return f();
  } catch (e) {
    violations.push(
      `${what} threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    );
    return undefined;
  }
}

function checkPosition(
  p: Position,
  lines: LineIndex,
  what: string,
  out: string[],
): void {
  const ref = lines.at(p.offset);
  if (p.line !== ref.line || p.col !== ref.col)
    out.push(
      `${what} at offset ${p.offset} says ${p.line}:${p.col}, the text says ${ref.line}:${ref.col}`,
    );
}

function checkDiagnostic(
  d: Diagnostic,
  text: string,
  lines: LineIndex,
  out: string[],
): void {
  const where = `${d.code} "${d.message.slice(0, 80)}"`;
  if (catalog.get(d.code) !== d.severity)
    out.push(`${where}: not in the catalog as ${d.severity}`);
  if (d.message.length === 0 || /\{\d\}|undefined|NaN/.test(d.message))
    out.push(`${where}: malformed message`);
  const { start, end } = d.span;
  if (!(
    0 <= start.offset &&
    start.offset <= end.offset &&
    end.offset <= text.length
  )) {
    out.push(
      `${where}: span ${start.offset}..${end.offset} outside 0..${text.length}`,
    );
    return;
  }
  checkPosition(start, lines, `${where} start`, out);
  checkPosition(end, lines, `${where} end`, out);
}

/** The IR without source positions (and the file name), for comparing two compilations. */
export function withoutSpans(models: readonly IrModel[]): string {
  return JSON.stringify(models, (k, v: unknown) =>
    k === "span" || k === "file" ? undefined : v,
  );
}

function checkResult(text: string, result: CompileResult, out: string[]): void {
  const lines = new LineIndex(text);
  for (const d of result.diagnostics) checkDiagnostic(d, text, lines, out);
  const errors = result.diagnostics.filter(
    (d) => d.severity === "error",
  ).length;
  if (errors > 0 && result.models.length > 0) out.push("models beside errors");
  if (errors > 101) out.push(`${errors} errors: more than the cap`);
  for (const ir of result.models) {
    const bad = validateIr(ir);
    if (bad.length > 0)
      out.push(`IR of ${ir.model} violates its schema: ${bad.join("; ")}`);
  }
  const rendered = attempt("renderDiagnostics", out, () =>
    renderDiagnostics(result.diagnostics, "fuzz.vae", text),
  );
  const headers =
    rendered?.match(/^fuzz\.vae:\d+:\d+: (error|warning)\[/gm)?.length ?? 0;
  if (rendered !== undefined && headers !== result.diagnostics.length)
    out.push(`rendered ${headers} diagnostics of ${result.diagnostics.length}`);
}

/** Formats the text; a valid spec must format into one with the same IR. */
function checkFormat(text: string, result: CompileResult, out: string[]): void {
  const formatted = attempt("formatVae", out, () => formatVae(text))?.formatted;
  if (formatted === undefined || result.models.length === 0) return;
  const again = attempt("compile(formatted)", out, () =>
    compile(formatted, "fuzz.vae"),
  );
  if (again && withoutSpans(again.models) !== withoutSpans(result.models))
    out.push("the formatted spec compiles to another IR");
}

/** Runs every check on one input. */
export function checkInput(text: string): Verdict {
  const violations: string[] = [];
  const t0 = performance.now();
  const result = attempt("compile", violations, () =>
    compile(text, "fuzz.vae"),
  );
  if (result) {
    checkResult(text, result, violations);
    checkFormat(text, result, violations);
  }
  return {
    violations,
    codes: result?.diagnostics.map((d) => d.code) ?? [],
    valid: (result?.models.length ?? 0) > 0,
    ms: performance.now() - t0,
  };
}
