// The compiler driver: parse → check → IR → validate, for one `.vae` text. Pure: no file system, no tfjs.
// A file reports at most MAX_ERRORS errors (diagnostics/limit.ts): checking stops after that many.
import {
  hasErrors,
  sortDiagnostics,
  type Diagnostic,
} from "./diagnostics/diagnostic.js";
import {
  capErrors,
  ErrorBudget,
  ErrorLimitReached,
} from "./diagnostics/limit.js";
import { suggestHint } from "./diagnostics/suggest.js";
import { Reporter } from "./check/context.js";
import { checkModel } from "./check/model.js";
import type { IrModel } from "../ir/types.js";
import { validateIr } from "../ir/validate.js";
import type * as A from "./syntax/ast.js";
import { parse } from "./syntax/parse.js";

// The runtime imports the compiler through this module alone: it also prints the diagnostics.
export { renderDiagnostics } from "./diagnostics/render.js";

export interface CompileResult {
  /** One IR per model, present only when the file has no errors. */
  models: IrModel[];
  diagnostics: Diagnostic[];
  program?: A.Program;
}

function pairTrainBlocks(
  program: A.Program,
  r: Reporter,
): Map<string, A.TrainDecl> {
  const models = program.items.filter(
    (i): i is A.ModelDecl => i.kind === "Model",
  );
  const names = models.map((m) => m.name.name);
  const seen = new Set<string>();
  for (const m of models) {
    if (seen.has(m.name.name))
      r.report(m.name.span, "DuplicateDeclaration", [m.name.name]);
    seen.add(m.name.name);
  }
  const trains = new Map<string, A.TrainDecl>();
  for (const t of program.items.filter(
    (i): i is A.TrainDecl => i.kind === "Train",
  )) {
    if (!seen.has(t.model.name))
      r.report(
        t.model.span,
        "UnknownModel",
        [t.model.name],
        suggestHint(t.model.name, names),
      );
    else if (trains.has(t.model.name))
      r.report(t.model.span, "DuplicateTrain", [t.model.name]);
    else trains.set(t.model.name, t);
  }
  return trains;
}

/** Checks every model of a parsed file; stops once the file's error budget is spent. */
function checkProgram(
  program: A.Program,
  file: string,
): { models: IrModel[]; diagnostics: Diagnostic[] } {
  const budget = new ErrorBudget();
  const top = new Reporter(budget);
  const models: IrModel[] = [];
  const diagnostics: Diagnostic[] = [];
  try {
    const trains = pairTrainBlocks(program, top);
    const checked = new Set<string>();
    for (const item of program.items) {
      if (item.kind !== "Model" || checked.has(item.name.name)) continue;
      checked.add(item.name.name);
      const { ir, ctx } = checkModel(
        item,
        trains.get(item.name.name),
        file,
        budget,
      );
      for (const d of ctx.diagnostics) diagnostics.push(d);
      if (ir) models.push(ir);
      if (budget.exhausted) break;
    }
    if (!program.items.some((i) => i.kind === "Model"))
      top.report(
        program.span.start.offset === program.span.end.offset
          ? program.span
          : { start: program.span.start, end: program.span.start },
        "NoModel",
        [],
        "start with `model name { data x : real[784] ... }`",
      );
  } catch (e) {
    if (!(e instanceof ErrorLimitReached)) throw e;
  }
  for (const d of top.diagnostics) diagnostics.push(d);
  return { models, diagnostics };
}

/** Compiles `.vae` source text. Never throws on any input: every problem is a catalogued diagnostic. */
export function compile(text: string, file = "<input>"): CompileResult {
  const parsed = parse(text);
  if (parsed.program === undefined)
    return { models: [], diagnostics: sortDiagnostics(parsed.diagnostics) };
  const program = parsed.program;
  const { models, diagnostics } = checkProgram(program, file);
  for (const ir of models) {
    const errors = validateIr(ir);
    if (errors.length > 0)
      throw new Error(
        `internal error: IR for ${ir.model} violates its schema: ${errors.join("; ")}`,
      );
  }
  const sorted = capErrors(sortDiagnostics(diagnostics));
  return {
    models: hasErrors(sorted) ? [] : models,
    diagnostics: sorted,
    program,
  };
}

/**
 * The model a command works on: the one named, or the file's only model. Returns the IR, or the
 * message saying why none could be chosen (`vae compile`, `train` and `sweep` share it).
 */
export function selectModel(
  models: readonly IrModel[],
  name: string | undefined,
  file: string,
): IrModel | string {
  const chosen =
    name === undefined ? models : models.filter((m) => m.model === name);
  if (chosen.length === 1) return chosen[0]!;
  const all = models.map((m) => m.model).join(", ");
  return name === undefined
    ? `${file} declares ${models.length} models (${all}); pick one with --model`
    : `no model ${name} in ${file}; it has ${all}`;
}
