// The per-file error cap: a file reports at most MAX_ERRORS errors, then one E099 where it stopped.
// Every phase stops producing errors soon after the cap (the lexer's report, the parser, the
// checker), so garbage input costs time linear in its size and not in the number of its errors.
import type { Span } from "../span.js";
import { diagnostic, type Diagnostic } from "./diagnostic.js";

/** The most errors one file reports. */
export const MAX_ERRORS = 100;

/** Thrown by a phase (the parser, the checker's reporter) once it has found MAX_ERRORS + 1 errors. */
export class ErrorLimitReached extends Error {
  constructor() {
    super(`more than ${MAX_ERRORS} errors`);
    this.name = "ErrorLimitReached";
  }
}

/** Counts the errors one phase reports and says when it may stop. */
export class ErrorBudget {
  private count = 0;

  constructor(private readonly allowed = MAX_ERRORS + 1) {}

  /** Counts one error; true once the phase has enough to fill the cap (MAX_ERRORS + 1). */
  spend(): boolean {
    this.count++;
    return this.count >= this.allowed;
  }

  get exhausted(): boolean {
    return this.count >= this.allowed;
  }
}

/** The first `MAX_ERRORS + 1` errors of a list in source order, and every warning before them. */
export function firstErrors(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  let errors = 0;
  for (const d of diagnostics) {
    if (errors > MAX_ERRORS) break;
    out.push(d);
    if (d.severity === "error") errors++;
  }
  return out;
}

/**
 * Applies the cap to a file's diagnostics, sorted by position: the first MAX_ERRORS errors (and the
 * warnings before the next one) are kept, and E099 takes the place of the first error dropped.
 * Each phase hands over at least MAX_ERRORS + 1 errors when it stopped early, all in source order,
 * so the ones kept are the file's first errors.
 */
export function capErrors(sorted: readonly Diagnostic[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  let errors = 0;
  for (const d of sorted) {
    if (d.severity === "error" && errors === MAX_ERRORS) {
      out.push(tooMany(d.span));
      return out;
    }
    out.push(d);
    if (d.severity === "error") errors++;
  }
  return out;
}

function tooMany(at: Span): Diagnostic {
  return diagnostic(
    { start: at.start, end: at.start },
    "TooManyErrors",
    [MAX_ERRORS],
    "fix these and check again to see the rest",
  );
}
