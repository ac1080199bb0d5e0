// Binds a call's positional and named arguments to a signature and reads typed values from them.
import type * as A from "../syntax/ast.js";
import { suggestHint } from "../diagnostics/suggest.js";
import { shownLiteral } from "../diagnostics/quote.js";
import { MAX_INTEGER } from "../limits.js";
import type { Reporter } from "./context.js";
import type { ArgSpec } from "../../ir/vocabulary.js";

export type BoundArgs = Map<string, A.Expr>;

/** A short description of an expression, for "found …" in messages. */
export function describe(e: A.Expr): string {
  switch (e.kind) {
    case "Number":
      return `the number ${shownLiteral(e.raw)}`;
    case "String":
      return `the string ${shownLiteral(e.raw)}`;
    case "Name":
      return `\`${e.name}\``;
    case "Call":
      return `a call to \`${e.callee.name}\``;
    case "List":
      return "a list";
    case "Record":
      return "a record";
    case "Range":
      return "a range";
  }
}

/**
 * Positional arguments take `positional` names in order, named ones must be in `known`.
 * Reports too many positionals (E037), unknown names (E033) and duplicates (E034).
 */
export function bindArgs(
  call: A.Call,
  positional: readonly string[],
  known: readonly string[],
  r: Reporter,
  variadic = false,
): BoundArgs {
  const bound: BoundArgs = new Map();
  const fn = call.callee.name;
  const positionals = call.args.filter((a) => a.name === undefined);
  if (!variadic && positionals.length > positional.length) {
    const extra = positionals[positional.length]!;
    r.report(
      extra.span,
      "TooManyArguments",
      [fn, positional.length, positionals.length],
      positional.length > 0
        ? `\`${fn}\` takes (${positional.join(", ")})`
        : undefined,
    );
  }
  let index = 0;
  for (const arg of call.args) {
    let name: string;
    if (arg.name === undefined) {
      if (variadic) name = String(index);
      else if (index < positional.length) name = positional[index]!;
      else {
        index++;
        continue;
      }
      index++;
    } else {
      name = arg.name.name;
      if (!known.includes(name)) {
        r.report(
          arg.name.span,
          "UnknownArgument",
          [fn, name],
          suggestHint(name, known),
        );
        continue;
      }
    }
    if (bound.has(name)) {
      r.report(arg.name?.span ?? arg.span, "DuplicateArgument", [name]);
      continue;
    }
    bound.set(name, arg.value);
  }
  return bound;
}

export function formatRange(
  spec: Pick<ArgSpec, "min" | "max" | "exclusive">,
): string {
  const parts: string[] = [];
  if (spec.min !== undefined)
    parts.push(`${spec.exclusive ? ">" : "≥"} ${spec.min}`);
  if (spec.max !== undefined) parts.push(`≤ ${spec.max}`);
  return parts.join(" and ");
}

const numberParts = /^-?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Whether a number literal denotes an integer, decided on its digits (`2.50e1` is 25, `1e-400` is not). */
export function isIntegerLiteral(raw: string): boolean {
  const m = numberParts.exec(raw);
  if (m === null) return false;
  const whole = m[1] ?? "";
  const fraction = m[2] ?? "";
  const exponent = m[3] === undefined ? 0 : Number(m[3]);
  const point = whole.length + exponent;
  return /^0*$/.test((whole + fraction).slice(Math.max(0, point)));
}

/** Reads a number, checking integrality and range. Undefined when absent or invalid (already reported). */
export function readNumber(
  e: A.Expr,
  what: string,
  spec: Pick<ArgSpec, "min" | "max" | "exclusive"> & { int?: boolean },
  r: Reporter,
): number | undefined {
  if (e.kind !== "Number") {
    r.report(e.span, "WrongArgumentKind", [
      what,
      spec.int ? "an integer" : "a number",
      describe(e),
    ]);
    return undefined;
  }
  const v = e.value;
  const raw = shownLiteral(e.raw);
  if (spec.int && !isIntegerLiteral(e.raw)) {
    r.report(e.span, "NotAnInteger", [what, raw]);
    return undefined;
  }
  if (spec.int ? !Number.isSafeInteger(v) : !Number.isFinite(v)) {
    const max = Math.min(spec.max ?? MAX_INTEGER, MAX_INTEGER);
    const allowed = spec.int
      ? formatRange({ ...spec, max })
      : "a finite number";
    r.report(e.span, "OutOfRange", [what, allowed, raw]);
    return undefined;
  }
  const low =
    spec.min !== undefined && (spec.exclusive ? v <= spec.min : v < spec.min);
  const high = spec.max !== undefined && v > spec.max;
  if (low || high) {
    r.report(e.span, "OutOfRange", [what, formatRange(spec), raw]);
    return undefined;
  }
  return v;
}

/** Reads one of a fixed set of names (`relu`, `dynamic`...), written bare or as a string. */
export function readEnum(
  e: A.Expr,
  what: string,
  values: readonly string[],
  r: Reporter,
): string | undefined {
  if (e.kind === "Name" && values.includes(e.name)) return e.name;
  if (e.kind === "String" && values.includes(e.value)) return e.value;
  if (e.kind === "Name" || e.kind === "String") {
    const name = e.kind === "Name" ? e.name : e.value;
    r.report(
      e.span,
      "WrongArgumentKind",
      [what, `one of ${values.map((v) => `\`${v}\``).join(", ")}`, describe(e)],
      suggestHint(name, values),
    );
  } else {
    r.report(e.span, "WrongArgumentKind", [
      what,
      `one of ${values.map((v) => `\`${v}\``).join(", ")}`,
      describe(e),
    ]);
  }
  return undefined;
}

export function readString(
  e: A.Expr,
  what: string,
  r: Reporter,
): string | undefined {
  if (e.kind === "String") return e.value;
  r.report(e.span, "WrongArgumentKind", [what, "a string", describe(e)]);
  return undefined;
}

/** Reads every argument of a simple signature (numbers, strings, enums, booleans), applying defaults. */
export function readSignature(
  call: A.Call,
  specs: readonly ArgSpec[],
  r: Reporter,
): Record<string, string | number | boolean> | undefined {
  const names = specs.map((s) => s.name);
  const bound = bindArgs(call, names, names, r);
  const out: Record<string, string | number | boolean> = {};
  let ok = true;
  for (const spec of specs) {
    const e = bound.get(spec.name);
    const what = `\`${spec.name}\` of \`${call.callee.name}\``;
    if (e === undefined) {
      if (spec.required) {
        r.report(call.callee.span, "MissingArgument", [
          call.callee.name,
          spec.name,
        ]);
        ok = false;
      } else if (spec.default !== undefined) out[spec.name] = spec.default;
      continue;
    }
    let v: string | number | boolean | undefined;
    if (spec.kind === "number" || spec.kind === "int")
      v = readNumber(e, what, { ...spec, int: spec.kind === "int" }, r);
    else if (spec.kind === "string") v = readString(e, what, r);
    else if (spec.kind === "enum") v = readEnum(e, what, spec.values ?? [], r);
    else {
      const b = readEnum(e, what, ["true", "false"], r);
      v = b === undefined ? undefined : b === "true";
    }
    if (v === undefined) ok = false;
    else out[spec.name] = v;
  }
  return ok ? out : undefined;
}

/**
 * Reports a value that should have been one of `known` calls (or bare names): an unknown name gets
 * did-you-mean (E013); a known call written bare, or a bare name written as a call, gets E045 with
 * the right form; anything else gets E045 with an example.
 */
export function reportWrongCallee(
  e: A.Expr,
  category: string,
  calls: readonly string[],
  bare: readonly string[],
  example: string,
  r: Reporter,
): void {
  const name =
    e.kind === "Name" ? e.name : e.kind === "Call" ? e.callee.name : undefined;
  if (name === undefined) {
    const article = /^[aeiou]/i.test(category) ? "an" : "a";
    r.report(e.span, "WrongValueKind", [
      `${article} ${category} such as ${example}`,
      describe(e),
    ]);
  } else if (e.kind === "Name" && calls.includes(name)) {
    r.report(
      e.span,
      "WrongValueKind",
      [`a call to \`${name}\``, describe(e)],
      `write it with parentheses, e.g. ${example}`,
    );
  } else if (e.kind === "Call" && bare.includes(name)) {
    r.report(
      e.span,
      "WrongValueKind",
      [`\`${name}\` without arguments`, describe(e)],
      `only ${calls.map((c) => `\`${c}(...)\``).join(", ")} take arguments`,
    );
  } else {
    const span = e.kind === "Call" ? e.callee.span : e.span;
    r.report(
      span,
      "UnknownFunction",
      [category, name],
      suggestHint(name, [...calls, ...bare]),
    );
  }
}
