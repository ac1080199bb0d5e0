// Per-model checking state: the diagnostics sink and the symbol tables of views, latents and `let`s.
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/diagnostic.js";
import { Messages, type MessageName } from "../diagnostics/catalog.js";
import { ErrorBudget, ErrorLimitReached } from "../diagnostics/limit.js";
import type { Span } from "../span.js";
import type * as A from "../syntax/ast.js";
import type { IrLatent, IrView } from "../../ir/types.js";

/** Collects a phase's diagnostics; throws ErrorLimitReached once the file's error budget is spent. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly budget = new ErrorBudget()) {}

  /** Drops the diagnostics of these catalog entries. */
  withhold(names: readonly MessageName[]): void {
    const codes = names.map((n) => Messages[n].code);
    let kept = 0;
    for (const d of this.diagnostics)
      if (!codes.includes(d.code)) this.diagnostics[kept++] = d;
    this.diagnostics.length = kept;
  }

  /** Whether a diagnostic of catalog entry `name` was reported after the first `mark` ones. */
  reportedSince(mark: number, name: MessageName): boolean {
    const code = Messages[name].code;
    return this.diagnostics.slice(mark).some((d) => d.code === code);
  }

  report(
    span: Span,
    name: MessageName,
    args: readonly (string | number)[] = [],
    hint?: string,
  ): void {
    const d = diagnostic(span, name, args, hint);
    this.diagnostics.push(d);
    if (d.severity === "error" && this.budget.spend())
      throw new ErrorLimitReached();
  }
}

export class ModelContext extends Reporter {
  readonly views = new Map<string, IrView>();
  readonly latents = new Map<string, IrLatent>();
  readonly lets = new Map<string, A.LetStmt>();
  /** Names declared with an invalid type (already reported): uses of them are not errors again. */
  readonly invalid = new Set<string>();

  constructor(
    readonly model: A.ModelDecl,
    readonly file: string,
    budget?: ErrorBudget,
  ) {
    super(budget);
  }

  /** Every name declared in the model body (views, latents, lets share one namespace). */
  declaredNames(): string[] {
    return [...this.views.keys(), ...this.latents.keys(), ...this.lets.keys()];
  }

  isDeclared(name: string): boolean {
    return (
      this.views.has(name) ||
      this.latents.has(name) ||
      this.lets.has(name) ||
      this.invalid.has(name)
    );
  }
}
