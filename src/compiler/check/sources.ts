// Data sources and view bindings of a train block: `mnist(...)`, files, `top_half(image)`, columns,
// and whether what a source yields fits the declared view.
import type * as A from "../syntax/ast.js";
import type { IrBinding, IrSelect, IrSource, IrView } from "../../ir/types.js";
import { suggestHint } from "../diagnostics/suggest.js";
import {
  describe,
  readNumber,
  readSignature,
  reportWrongCallee,
} from "./args.js";
import type { Reporter } from "./context.js";
import {
  sources,
  viewSelectors,
  type SourceField,
  type SourceSpec,
} from "../../ir/vocabulary.js";

export function readSource(e: A.Expr, r: Reporter): IrSource | undefined {
  const spec =
    e.kind === "Call"
      ? sources.find((s) => s.name === e.callee.name)
      : undefined;
  if (e.kind !== "Call" || spec === undefined) {
    reportWrongCallee(
      e,
      "data source",
      sources.map((s) => s.name),
      [],
      '`mnist(split: "train")` or `csv(path: "x.csv")`',
      r,
    );
    return undefined;
  }
  const args = readSignature(e, spec.args, r);
  return args === undefined
    ? undefined
    : ({ kind: spec.name, ...args, span: e.span } as IrSource);
}

export function specOf(source: IrSource): SourceSpec {
  return sources.find((s) => s.name === source.kind)!;
}

/** A field as a view sees it after selection: its support and, when known now, its width. */
function selected(
  field: SourceField,
  select: IrSelect,
): { support: string; width?: number; categories?: number } {
  if (select.kind === "all") return field;
  if (select.kind === "columns")
    return { support: field.support, width: select.to - select.from };
  const img = field.image;
  return {
    support: field.support,
    ...(img ? { width: (img.height * img.width) / 2 } : {}),
  };
}

export function readBinding(
  view: string,
  e: A.Expr,
  data: IrSource,
  r: Reporter,
): { binding: IrBinding; field?: SourceField; source: IrSource } | undefined {
  const spec = specOf(data);
  const fieldNames = spec.fields.map((f) => f.name);
  const field = (name: A.NameRef): SourceField | undefined => {
    const f = spec.fields.find((x) => x.name === name.name);
    if (f === undefined)
      r.report(
        name.span,
        "UnknownSourceField",
        [`\`${spec.name}(...)\``, name.name],
        suggestHint(name.name, fieldNames),
      );
    // An idx source has labels only when it names a labels file.
    if (
      f?.name === "label" &&
      data.kind === "idx" &&
      data.labels === undefined
    ) {
      r.report(
        name.span,
        "ViewNotInSource",
        [view, "`idx(...)` without `labels:`"],
        'add `labels: "path/to/labels.idx"` to the source',
      );
      return undefined;
    }
    return f;
  };
  if (e.kind === "Name") {
    const f = field(e);
    return (
      f && {
        binding: { view, field: f.name, select: { kind: "all" }, span: e.span },
        field: f,
        source: data,
      }
    );
  }
  if (e.kind === "Call" && sources.some((s) => s.name === e.callee.name)) {
    const file = readSource(e, r);
    if (file === undefined) return undefined;
    const own = specOf(file);
    const f = own.fields.find((x) => x.name === own.primary)!;
    return {
      binding: {
        view,
        field: f.name,
        select: { kind: "all" },
        file,
        span: e.span,
      },
      field: f,
      source: file,
    };
  }
  if (
    e.kind !== "Call" ||
    !(viewSelectors as readonly string[]).includes(e.callee.name)
  ) {
    if (e.kind === "Call")
      r.report(
        e.callee.span,
        "UnknownFunction",
        ["view selector", e.callee.name],
        suggestHint(e.callee.name, [
          ...viewSelectors,
          ...sources.map((s) => s.name),
        ]),
      );
    else
      r.report(e.span, "WrongValueKind", [
        `a field of the data source (${fieldNames.map((n) => `\`${n}\``).join(", ")}), a selector like \`top_half(image)\` or a file`,
        describe(e),
      ]);
    return undefined;
  }
  const [first, second] = e.args.map((a) => a.value);
  if (e.callee.name === "columns") {
    const range = first?.kind === "Range" ? first : undefined;
    if (range === undefined || e.args.length !== 1) {
      r.report(e.span, "WrongArgumentKind", [
        "`columns`",
        "one range of column indices like `columns(0 -> 392)`",
        first ? describe(first) : "no arguments",
      ]);
      return undefined;
    }
    const from = readNumber(
      range.from,
      "the first column",
      { int: true, min: 0 },
      r,
    );
    const to = readNumber(range.to, "the end column", { int: true, min: 1 }, r);
    if (from === undefined || to === undefined) return undefined;
    if (to <= from) {
      r.report(range.span, "OutOfRange", [
        "a column range",
        "non-empty (end > start)",
        `${from} -> ${to}`,
      ]);
      return undefined;
    }
    const f = spec.fields.find((x) => x.name === spec.primary)!;
    return {
      binding: {
        view,
        field: f.name,
        select: { kind: "columns", from, to },
        span: e.span,
      },
      field: f,
      source: data,
    };
  }
  if (first?.kind !== "Name" || second !== undefined) {
    r.report(e.span, "WrongArgumentKind", [
      `\`${e.callee.name}\``,
      "one image field like `top_half(image)`",
      first ? describe(first) : "no arguments",
    ]);
    return undefined;
  }
  const f = field(first);
  if (f && f.support === "categorical") {
    r.report(first.span, "WrongArgumentKind", [
      `the argument of \`${e.callee.name}\``,
      "an image field like `image`",
      `the ${f.support} field \`${f.name}\``,
    ]);
    return undefined;
  }
  const kind = e.callee.name as
    "top_half" | "bottom_half" | "left_half" | "right_half";
  return (
    f && {
      binding: { view, field: f.name, select: { kind }, span: e.span },
      field: f,
      source: data,
    }
  );
}

export function checkFits(
  view: IrView,
  binding: IrBinding,
  field: SourceField,
  source: IrSource,
  r: Reporter,
): void {
  const got = selected(field, binding.select);
  const want =
    view.support === "categorical"
      ? `categorical[${view.categories}]`
      : `${view.support}[${view.width}]`;
  const provides =
    got.support === "categorical"
      ? `categorical[${got.categories ?? "k"}]`
      : `real[${got.width ?? "d"}]`;
  const supportOk =
    got.support === "numeric" ||
    (view.support === "categorical"
      ? got.support === "categorical"
      : got.support === "real");
  const sizeOk =
    view.support === "categorical"
      ? got.categories === undefined || got.categories === view.categories
      : got.width === undefined || got.width === view.width;
  if (!supportOk || !sizeOk)
    r.report(binding.span, "SourceWidthMismatch", [
      view.name,
      want,
      binding.select.kind === "all"
        ? `\`${source.kind}(...)\` field \`${binding.field}\``
        : binding.select.kind === "columns"
          ? `\`columns(${binding.select.from} -> ${binding.select.to})\` of \`${source.kind}(...)\``
          : `\`${binding.select.kind}(${binding.field})\` of \`${source.kind}(...)\``,
      provides,
    ]);
}
