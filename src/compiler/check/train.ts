// Checker for `train model { ... }`: data sources, view bindings, optimizer, batch, epochs, seed.
import type * as A from "../syntax/ast.js";
import type {
  IrBinding,
  IrOptimizer,
  IrTrain,
  IrView,
} from "../../ir/types.js";
import { suggestHint } from "../diagnostics/suggest.js";
import {
  describe,
  readNumber,
  readSignature,
  reportWrongCallee,
} from "./args.js";
import type { Reporter } from "./context.js";
import { checkFits, readBinding, readSource, specOf } from "./sources.js";
import {
  defaultOptimizer,
  optimizers,
  trainSettings,
} from "../../ir/vocabulary.js";

function readOptimizer(e: A.Expr, r: Reporter): IrOptimizer | undefined {
  const spec =
    e.kind === "Call"
      ? optimizers.find((o) => o.name === e.callee.name)
      : undefined;
  if (e.kind !== "Call" || spec === undefined) {
    reportWrongCallee(
      e,
      "optimizer",
      optimizers.map((o) => o.name),
      [],
      "`adam(lr: 1e-3)`",
      r,
    );
    return undefined;
  }
  // Every hyperparameter is a number with a default or required: the IR states them all.
  const args = readSignature(e, spec.args, r);
  return args === undefined
    ? undefined
    : ({ name: spec.name, ...args } as IrOptimizer);
}

export function checkTrain(
  decl: A.TrainDecl,
  views: Map<string, IrView>,
  model: string,
  r: Reporter,
  invalid: ReadonlySet<string> = new Set(),
): IrTrain | undefined {
  const settings = new Map<string, A.Setting>();
  for (const s of decl.settings) {
    if (!(trainSettings as readonly string[]).includes(s.key.name))
      r.report(
        s.key.span,
        "UnknownSetting",
        [s.key.name],
        suggestHint(s.key.name, trainSettings),
      );
    else if (settings.has(s.key.name))
      r.report(s.key.span, "DuplicateDeclaration", [s.key.name]);
    else settings.set(s.key.name, s);
  }
  const dataSetting = settings.get("data");
  if (dataSetting === undefined) {
    r.report(
      decl.model.span,
      "MissingSetting",
      [model, "data"],
      'add `data = mnist(split: "train")` or a file source',
    );
    return undefined;
  }
  const data = readSource(dataSetting.value, r);
  const testSetting = settings.get("test");
  const test = testSetting ? readSource(testSetting.value, r) : null;
  const optimizerSetting = settings.get("optimizer");
  const optimizer = optimizerSetting
    ? readOptimizer(optimizerSetting.value, r)
    : defaultOptimizer();
  const int = (key: string, min: number, dflt: number): number | undefined => {
    const s = settings.get(key);
    return s === undefined
      ? dflt
      : readNumber(s.value, `\`${key}\``, { int: true, min }, r);
  };
  const batch = int("batch", 1, 128);
  const epochs = int("epochs", 1, 10);
  const seed = int("seed", 0, 0);
  if (data === undefined) return undefined;

  const bindings: IrBinding[] = [];
  const explicit = new Map<string, A.Expr>();
  const viewsSetting = settings.get("views");
  if (viewsSetting && viewsSetting.value.kind !== "Record") {
    r.report(viewsSetting.value.span, "WrongValueKind", [
      "a record of view bindings like `{ x: image }`",
      describe(viewsSetting.value),
    ]);
    return undefined; // without the bindings, every view would also be "not provided"
  } else if (viewsSetting && viewsSetting.value.kind === "Record") {
    for (const f of viewsSetting.value.fields) {
      if (invalid.has(f.key.name)) continue;
      if (!views.has(f.key.name))
        r.report(
          f.key.span,
          "UnknownBindingView",
          [f.key.name, model],
          suggestHint(f.key.name, [...views.keys()]),
        );
      else if (explicit.has(f.key.name))
        r.report(f.key.span, "DuplicateDeclaration", [f.key.name]);
      else explicit.set(f.key.name, f.value);
    }
  }
  const spec = specOf(data);
  const unbound = [...views.values()].filter(
    (v) => !explicit.has(v.name) && !spec.fields.some((f) => f.name === v.name),
  );
  for (const view of views.values()) {
    let expr = explicit.get(view.name);
    const sameName = spec.fields.some((f) => f.name === view.name);
    if (
      expr === undefined &&
      (sameName || (unbound.length === 1 && unbound[0] === view))
    ) {
      expr = {
        kind: "Name",
        name: sameName ? view.name : spec.primary,
        span: dataSetting.value.span,
      };
    }
    if (expr === undefined) {
      r.report(
        dataSetting.value.span,
        "ViewNotInSource",
        [view.name, `\`${spec.name}(...)\``],
        `bind it: \`views = { ${view.name}: ${spec.fields[0]!.name} }\`; ${spec.name} provides ${spec.fields.map((f) => `\`${f.name}\``).join(", ")}`,
      );
      continue;
    }
    const b = readBinding(view.name, expr, data, r);
    if (b === undefined) continue;
    if (b.field) checkFits(view, b.binding, b.field, b.source, r);
    bindings.push(b.binding);
  }
  if (
    test === undefined ||
    optimizer === undefined ||
    batch === undefined ||
    epochs === undefined ||
    seed === undefined
  )
    return undefined;
  return {
    data,
    test,
    views: bindings,
    optimizer,
    batch,
    epochs,
    seed,
    span: decl.span,
  };
}
