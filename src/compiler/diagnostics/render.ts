// Renders diagnostics as `file:line:col: error[E012]: message`, the source line, a caret and a hint.
import type { Diagnostic } from "./diagnostic.js";

export function renderDiagnostic(
  d: Diagnostic,
  file: string,
  text: string,
): string {
  const { line, col } = d.span.start;
  const lines = text.split("\n");
  const source = (lines[line - 1] ?? "").replace(/\r$/, "");
  const sameLine = d.span.end.line === line;
  const caretEnd = sameLine ? d.span.end.col : source.length + 1;
  const width = Math.max(1, caretEnd - col);
  const gutter = String(line).length;
  const pad = " ".repeat(gutter);
  // Keep tabs in the caret's indentation so it lines up under the span.
  const indent = source.slice(0, Math.max(0, col - 1)).replace(/[^\t]/g, " ");
  const out = [
    `${file}:${line}:${col}: ${d.severity}[${d.code}]: ${d.message}`,
    `${pad} |`,
    `${line} | ${source}`,
    `${pad} | ${indent}${"^".repeat(width)}`,
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
