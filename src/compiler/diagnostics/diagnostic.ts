// A diagnostic instance: a catalog entry bound to a span, its message arguments and a hint.
import type { Span } from "../span.js";
import { Messages, type MessageName, type Severity } from "./catalog.js";

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  hint?: string;
}

export function formatTemplate(
  template: string,
  args: readonly (string | number)[],
): string {
  return template.replace(/\{(\d+)\}/g, (_, i: string) =>
    String(args[Number(i)] ?? `{${i}}`),
  );
}

/** The only way to make a diagnostic: span first, then the catalog entry and its arguments. */
export function diagnostic(
  span: Span,
  name: MessageName,
  args: readonly (string | number)[] = [],
  hint?: string,
): Diagnostic {
  const def = Messages[name];
  const d: Diagnostic = {
    code: def.code,
    severity: def.severity,
    message: formatTemplate(def.message, args),
    span,
  };
  if (hint !== undefined) d.hint = hint;
  return d;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

export function sortDiagnostics(
  diagnostics: readonly Diagnostic[],
): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.span.start.offset - b.span.start.offset || a.code.localeCompare(b.code),
  );
}
