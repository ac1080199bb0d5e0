// Renders diagnostics as `file:line:col: error[E012]: message`, the source line, a caret and a hint.
// Lines end at `\n`, `\r\n` or `\r` alike (see span.ts); a very long line is shown around the caret.
import { lineText } from "../span.js";
import type { Diagnostic } from "./diagnostic.js";

/** Longest source line shown whole; a longer one is cut to a window around the caret. */
const MAX_SHOWN = 160;
/** How much of a long line is shown before the caret. */
const CONTEXT_BEFORE = 60;

interface Shown {
  source: string;
  /** 0-based column of the caret in `source`, and its width. */
  caretAt: number;
  width: number;
}

/** The part of the line to print, with `…` where it was cut. */
function window(line: string, col: number, width: number): Shown {
  if (line.length <= MAX_SHOWN) return { source: line, caretAt: col, width };
  const from = Math.max(0, Math.min(col - CONTEXT_BEFORE, line.length));
  const to = Math.min(line.length, from + MAX_SHOWN);
  const head = from > 0 ? "…" : "";
  const tail = to < line.length ? "…" : "";
  return {
    source: head + line.slice(from, to) + tail,
    caretAt: head.length + col - from,
    width: Math.max(1, Math.min(width, to - col + tail.length)),
  };
}

export function renderDiagnostic(
  d: Diagnostic,
  file: string,
  text: string,
): string {
  const { line, col } = d.span.start;
  const full = lineText(text, line);
  const sameLine = d.span.end.line === line;
  const caretEnd = sameLine ? d.span.end.col : full.length + 1;
  const shown = window(full, col - 1, Math.max(1, caretEnd - col));
  const gutter = String(line).length;
  const pad = " ".repeat(gutter);
  // Keep tabs in the caret's indentation so it lines up under the span.
  const indent = shown.source
    .slice(0, Math.max(0, shown.caretAt))
    .replace(/[^\t]/g, " ");
  const out = [
    `${file}:${line}:${col}: ${d.severity}[${d.code}]: ${d.message}`,
    `${pad} |`,
    `${line} | ${shown.source}`,
    `${pad} | ${indent}${"^".repeat(shown.width)}`,
  ];
  if (d.hint !== undefined) out.push(`${pad} = hint: ${d.hint}`);
  return out.join("\n");
}

export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  file: string,
  text: string,
): string {
  return diagnostics.map((d) => renderDiagnostic(d, file, text)).join("\n\n");
}
