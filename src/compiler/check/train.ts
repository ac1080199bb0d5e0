// Checker for `train model { ... }`: data sources, view bindings, optimizer, batch, epochs, seed.
import type * as A from "../syntax/ast.js";
import type { IrBinding, IrOptimizer, IrSelect, IrSource, IrTrain, IrView } from "../ir/types.js";
import { suggestHint } from "../diagnostics/suggest.js";
import { describe, readNumber, readSignature } from "./args.js";
import type { Reporter } from "./context.js";
import { optimizers, sources, trainSettings, viewSelectors, type SourceField, type SourceSpec } from "./vocabulary.js";

function readSource(e: A.Expr, what: string, r: Reporter): IrSource | undefined {
  if (e.kind !== "Call") {
    r.report(e.span, "WrongValueKind", [`a data source for ${what} (\`mnist(...)\`, \`idx(...)\`, \`csv(...)\`, \`npy(...)\`)`, describe(e)]);
    return undefined;
  }
  const spec = sources.find((s) => s.name === e.callee.name);
  if (spec === undefined) {
    r.report(e.callee.span, "UnknownFunction", ["data source", e.callee.name], suggestHint(e.callee.name, sources.map((s) => s.name)));
    return undefined;
  }
  const args = readSignature(e, spec.args, r);
  return args === undefined ? undefined : ({ kind: spec.name, ...args, span: e.span } as IrSource);
}

function readOptimizer(e: A.Expr, r: Reporter): IrOptimizer | undefined {
  const spec = e.kind === "Call" ? optimizers.find((o) => o.name === e.callee.name) : undefined;
  if (e.kind !== "Call" || spec === undefined) {
    const name = e.kind === "Call" ? e.callee.name : e.kind === "Name" ? e.name : undefined;
    if (name !== undefined) r.report(e.kind === "Call" ? e.callee.span : e.span, "UnknownFunction", ["optimizer", name], suggestHint(name, optimizers.map((o) => o.name)));
    else r.report(e.span, "WrongValueKind", ["an optimizer such as `adam(lr: 1e-3)`", describe(e)]);
    return undefined;
  }
  const args = readSignature(e, spec.args, r);
  return args === undefined ? undefined : ({ name: spec.name, ...args } as IrOptimizer);
}

function specOf(source: IrSource): SourceSpec {
  return sources.find((s) => s.name === source.kind)!;
}

/** A field as a view sees it after selection: its support and, when known now, its width. */
function selected(field: SourceField, select: IrSelect): { support: string; width?: number; categories?: number } {
  if (select.kind === "all") return field;
  if (select.kind === "columns") return { support: field.support, width: select.to - select.from };
  const img = field.image;
  return { support: field.support, ...(img ? { width: (img.height * img.width) / 2 } : {}) };
}

function readBinding(view: string, e: A.Expr, data: IrSource, r: Reporter): { binding: IrBinding; field?: SourceField; source: IrSource } | undefined {
  const spec = specOf(data);
  const fieldNames = spec.fields.map((f) => f.name);
  const field = (name: A.NameRef): SourceField | undefined => {
    const f = spec.fields.find((x) => x.name === name.name);
    if (f === undefined) r.report(name.span, "ViewNotInSource", [name.name, `\`${spec.name}(...)\``], suggestHint(name.name, fieldNames));
    return f;
  };
  if (e.kind === "Name") {
    const f = field(e);
    return f && { binding: { view, field: f.name, select: { kind: "all" }, span: e.span }, field: f, source: data };
  }
  if (e.kind === "Call" && sources.some((s) => s.name === e.callee.name)) {
    const file = readSource(e, `view \`${view}\``, r);
    if (file === undefined) return undefined;
    const own = specOf(file);
    const f = own.fields.find((x) => x.name === own.primary)!;
    return { binding: { view, field: f.name, select: { kind: "all" }, file, span: e.span }, field: f, source: file };
  }
  if (e.kind !== "Call" || !(viewSelectors as readonly string[]).includes(e.callee.name)) {
    if (e.kind === "Call") r.report(e.callee.span, "UnknownFunction", ["view selector", e.callee.name], suggestHint(e.callee.name, [...viewSelectors, ...sources.map((s) => s.name)]));
    else r.report(e.span, "WrongValueKind", [`a field of the data source (${fieldNames.map((n) => `\`${n}\``).join(", ")}), a selector like \`top_half(image)\` or a file`, describe(e)]);
    return undefined;
  }
  const [first, second] = e.args.map((a) => a.value);
  if (e.callee.name === "columns") {
    const range = first?.kind === "Range" ? first : undefined;
    if (range === undefined || e.args.length !== 1) {
      r.report(e.span, "WrongArgumentKind", ["`columns`", "one range of column indices like `columns(0 -> 392)`", first ? describe(first) : "no arguments"]);
      return undefined;
    }
    const from = readNumber(range.from, "the first column", { int: true, min: 0 }, r);
    const to = readNumber(range.to, "the end column", { int: true, min: 1 }, r);
    if (from === undefined || to === undefined) return undefined;
    if (to <= from) {
      r.report(range.span, "OutOfRange", ["a column range", "non-empty (end > start)", `${from} -> ${to}`]);
      return undefined;
    }
    const f = spec.fields.find((x) => x.name === spec.primary)!;
    return { binding: { view, field: f.name, select: { kind: "columns", from, to }, span: e.span }, field: f, source: data };
  }
  if (first?.kind !== "Name" || second !== undefined) {
    r.report(e.span, "WrongArgumentKind", [`\`${e.callee.name}\``, "one image field like `top_half(image)`", first ? describe(first) : "no arguments"]);
    return undefined;
  }
  const f = field(first);
  const kind = e.callee.name as "top_half" | "bottom_half" | "left_half" | "right_half";
  return f && { binding: { view, field: f.name, select: { kind }, span: e.span }, field: f, source: data };
}

function checkFits(view: IrView, binding: IrBinding, field: SourceField, source: IrSource, r: Reporter): void {
  const got = selected(field, binding.select);
  const want = view.support === "categorical" ? `categorical[${view.categories}]` : `${view.support}[${view.width}]`;
  const provides = got.support === "categorical" ? `categorical[${got.categories ?? "k"}]` : `real[${got.width ?? "d"}]`;
  const supportOk = view.support === "categorical" ? got.support === "categorical" : got.support === "real";
  const sizeOk = view.support === "categorical" ? got.categories === undefined || got.categories === view.categories : got.width === undefined || got.width === view.width;
  if (!supportOk || !sizeOk) r.report(binding.span, "SourceWidthMismatch", [view.name, want, `\`${source.kind}(...)\` ${binding.field}`, provides]);
}

export function checkTrain(decl: A.TrainDecl, views: Map<string, IrView>, model: string, r: Reporter): IrTrain | undefined {
  const settings = new Map<string, A.Setting>();
  for (const s of decl.settings) {
    if (!(trainSettings as readonly string[]).includes(s.key.name)) r.report(s.key.span, "UnknownSetting", [s.key.name], suggestHint(s.key.name, trainSettings));
    else if (settings.has(s.key.name)) r.report(s.key.span, "DuplicateDeclaration", [s.key.name]);
    else settings.set(s.key.name, s);
  }
  const dataSetting = settings.get("data");
  if (dataSetting === undefined) {
    r.report(decl.model.span, "MissingSetting", [model, "data"], 'add `data = mnist(split: "train")` or a file source');
    return undefined;
  }
  const data = readSource(dataSetting.value, "`data`", r);
  const testSetting = settings.get("test");
  const test = testSetting ? readSource(testSetting.value, "`test`", r) : null;
  const optimizerSetting = settings.get("optimizer");
  const optimizer = optimizerSetting ? readOptimizer(optimizerSetting.value, r) : ({ name: "adam", lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 } as IrOptimizer);
  const int = (key: string, min: number, dflt: number): number | undefined => {
    const s = settings.get(key);
    return s === undefined ? dflt : readNumber(s.value, `\`${key}\``, { int: true, min }, r);
  };
  const batch = int("batch", 1, 128);
  const epochs = int("epochs", 1, 10);
  const seed = int("seed", 0, 0);
  if (data === undefined) return undefined;

  const bindings: IrBinding[] = [];
  const explicit = new Map<string, A.Expr>();
  const viewsSetting = settings.get("views");
  if (viewsSetting && viewsSetting.value.kind !== "Record") r.report(viewsSetting.value.span, "WrongValueKind", ["a record of view bindings like `{ x: image }`", describe(viewsSetting.value)]);
  else if (viewsSetting && viewsSetting.value.kind === "Record") {
    for (const f of viewsSetting.value.fields) {
      if (!views.has(f.key.name)) r.report(f.key.span, "UnknownBindingView", [f.key.name, model], suggestHint(f.key.name, [...views.keys()]));
      else if (explicit.has(f.key.name)) r.report(f.key.span, "DuplicateDeclaration", [f.key.name]);
      else explicit.set(f.key.name, f.value);
    }
  }
  const spec = specOf(data);
  const unbound = [...views.values()].filter((v) => !explicit.has(v.name) && !spec.fields.some((f) => f.name === v.name));
  for (const view of views.values()) {
    let expr = explicit.get(view.name);
    const sameName = spec.fields.some((f) => f.name === view.name);
    if (expr === undefined && (sameName || (unbound.length === 1 && unbound[0] === view))) {
      expr = { kind: "Name", name: sameName ? view.name : spec.primary, span: dataSetting.value.span };
    }
    if (expr === undefined) {
      r.report(dataSetting.value.span, "ViewNotInSource", [view.name, `\`${spec.name}(...)\``], `bind it: \`views = { ${view.name}: ${spec.fields[0]!.name} }\`; ${spec.name} provides ${spec.fields.map((f) => `\`${f.name}\``).join(", ")}`);
      continue;
    }
    const b = readBinding(view.name, expr, data, r);
    if (b === undefined) continue;
    if (b.field) checkFits(view, b.binding, b.field, b.source, r);
    bindings.push(b.binding);
  }
  if (test === undefined || optimizer === undefined || batch === undefined || epochs === undefined || seed === undefined) return undefined;
  return { data, test, views: bindings, optimizer, batch, epochs, seed, span: decl.span };
}
