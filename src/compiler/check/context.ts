// Per-model checking state: the diagnostics sink and the symbol tables of views, latents and `let`s.
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnostic } from "../diagnostics/diagnostic.js";
import type { MessageName } from "../diagnostics/catalog.js";
import type { Span } from "../span.js";
import type * as A from "../syntax/ast.js";
import type { IrLatent, IrView } from "../ir/types.js";

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  /** Drops the diagnostics with these codes. */
  withhold(codes: readonly string[]): void {
    const kept = this.diagnostics.filter((d) => !codes.includes(d.code));
    this.diagnostics.splice(0, this.diagnostics.length, ...kept);
  }

  report(
    span: Span,
    name: MessageName,
    args: readonly (string | number)[] = [],
    hint?: string,
  ): void {
    this.diagnostics.push(diagnostic(span, name, args, hint));
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
  ) {
    super();
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
