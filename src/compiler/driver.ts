// The compiler driver: parse → check → IR → validate, for one `.vae` text. Pure: no file system, no tfjs.
import {
  diagnostic,
  hasErrors,
  sortDiagnostics,
  type Diagnostic,
} from "./diagnostics/diagnostic.js";
import { suggestHint } from "./diagnostics/suggest.js";
import { checkModel } from "./check/model.js";
import type { IrModel } from "./ir/types.js";
import { validateIr } from "./ir/validate.js";
import type * as A from "./syntax/ast.js";
import { parse } from "./syntax/parse.js";

export interface CompileResult {
  /** One IR per model, present only when the file has no errors. */
  models: IrModel[];
  diagnostics: Diagnostic[];
  program?: A.Program;
}

function pairTrainBlocks(
  program: A.Program,
  diagnostics: Diagnostic[],
): Map<string, A.TrainDecl> {
  const models = program.items.filter(
    (i): i is A.ModelDecl => i.kind === "Model",
  );
  const names = models.map((m) => m.name.name);
  const seen = new Set<string>();
  for (const m of models) {
    if (seen.has(m.name.name))
      diagnostics.push(
        diagnostic(m.name.span, "DuplicateDeclaration", [m.name.name]),
      );
    seen.add(m.name.name);
  }
  const trains = new Map<string, A.TrainDecl>();
  for (const t of program.items.filter(
    (i): i is A.TrainDecl => i.kind === "Train",
  )) {
    if (!seen.has(t.model.name))
      diagnostics.push(
        diagnostic(
          t.model.span,
          "UnknownModel",
          [t.model.name],
          suggestHint(t.model.name, names),
        ),
      );
    else if (trains.has(t.model.name))
      diagnostics.push(
        diagnostic(t.model.span, "DuplicateTrain", [t.model.name]),
      );
    else trains.set(t.model.name, t);
  }
  return trains;
}

/** Compiles `.vae` source text. Never throws on any input: every problem is a catalogued diagnostic. */
export function compile(text: string, file = "<input>"): CompileResult {
  const parsed = parse(text);
  if (parsed.program === undefined)
    return { models: [], diagnostics: sortDiagnostics(parsed.diagnostics) };
  const program = parsed.program;
  const diagnostics: Diagnostic[] = [];
  const trains = pairTrainBlocks(program, diagnostics);
  const models: IrModel[] = [];
  const checked = new Set<string>();
  for (const item of program.items) {
    if (item.kind !== "Model" || checked.has(item.name.name)) continue;
    checked.add(item.name.name);
    const { ir, ctx } = checkModel(item, trains.get(item.name.name), file);
    diagnostics.push(...ctx.diagnostics);
    if (ir) models.push(ir);
  }
  if (!program.items.some((i) => i.kind === "Model")) {
    diagnostics.push(
      diagnostic(
        program.span.start.offset === program.span.end.offset
          ? program.span
          : { start: program.span.start, end: program.span.start },
        "NoModel",
        [],
        "start with `model name { data x : real[784] ... }`",
      ),
    );
  }
  for (const ir of models) {
    const errors = validateIr(ir);
    if (errors.length > 0)
      throw new Error(
        `internal error: IR for ${ir.model} violates its schema: ${errors.join("; ")}`,
      );
  }
  const sorted = sortDiagnostics(diagnostics);
  return {
    models: hasErrors(sorted) ? [] : models,
    diagnostics: sorted,
    program,
  };
}
