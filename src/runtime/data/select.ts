// A view's slice of a source field (all, an image half, a column range) and its validation.
import type { IrSelect, IrView } from "../../ir/types.js";
import { DataError } from "./errors.js";
import type { Field } from "./sources.js";

/** `view x : real[4]`, `view y : categorical[10]`: how messages name what a view expects. */
export function declaration(view: IrView): string {
  return view.support === "categorical"
    ? `view ${view.name} : categorical[${view.categories}]`
    : `view ${view.name} : ${view.support}[${view.width}]`;
}

export function describeSelect(select: IrSelect, field: string): string {
  if (select.kind === "all") return field;
  if (select.kind === "columns")
    return `columns(${select.from} -> ${select.to})`;
  return `${select.kind}(${field})`;
}

/** The field-relative index of each of the selection's columns. */
function columnsOf(field: Field, select: IrSelect, view: IrView): number[] {
  const range = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, k) => from + k);
  if (select.kind === "all") return range(0, field.width);
  if (select.kind === "columns") {
    if (select.to > field.width)
      throw new DataError(
        field.file,
        field.where(0),
        `${field.width} ${field.unit} (0-based 0..${field.width - 1}), but columns(${select.from} -> ${select.to}) needs column ${select.to - 1}: expected at least ${select.to} (${declaration(view)})`,
      );
    return range(select.from, select.to);
  }
  const img = field.image;
  const what = `${select.kind}(${field.name}) (${declaration(view)})`;
  if (img === undefined)
    throw new DataError(
      field.file,
      field.where(0),
      `field \`${field.name}\` is not an image (${field.width} values per example, no height × width), but ${what} needs one`,
    );
  const vertical = select.kind === "top_half" || select.kind === "bottom_half";
  if ((vertical ? img.height : img.width) % 2 !== 0)
    throw new DataError(
      field.file,
      field.where(0),
      `a ${img.height} × ${img.width} image has an odd ${vertical ? "height" : "width"}, expected an even one for ${what}`,
    );
  const { height: h, width: w } = img;
  const out: number[] = [];
  for (let r = 0; r < h; r++)
    for (let c = 0; c < w; c++) {
      const keep =
        select.kind === "top_half"
          ? r < h / 2
          : select.kind === "bottom_half"
            ? r >= h / 2
            : select.kind === "left_half"
              ? c < w / 2
              : c >= w / 2;
      if (keep) out.push(r * w + c);
    }
  return out;
}

/** The first n examples of the selection, n × columns.length, row-major. */
export function extract(
  field: Field,
  columns: number[],
  n: number,
): Float32Array {
  const all =
    columns.length === field.width && columns.every((c, k) => c === k);
  if (all) return field.values.subarray(0, n * field.width);
  const out = new Float32Array(n * columns.length);
  const m = columns.length;
  for (let i = 0; i < n; i++) {
    const base = i * field.width;
    for (let k = 0; k < m; k++)
      out[i * m + k] = field.values[base + columns[k]!]!;
  }
  return out;
}

/** Which columns a view takes, after checking the selection fits the field and the view's width. */
export function selectColumns(
  field: Field,
  select: IrSelect,
  view: IrView,
): number[] {
  const columns = columnsOf(field, select, view);
  if (columns.length !== view.width) {
    throw new DataError(
      field.file,
      field.where(0),
      `${describeSelect(select, field.name)} has ${columns.length} ${field.unit}, expected ${view.width} (${declaration(view)})`,
    );
  }
  return columns;
}

/** What a view reads its values as, for messages, and the test each value must pass. */
function viewType(view: IrView): {
  expected: string;
  ok: (v: number) => boolean;
} {
  if (view.support === "real")
    return { expected: "a finite real", ok: Number.isFinite };
  if (view.support === "binary")
    return { expected: "a value in [0, 1]", ok: (v) => v >= 0 && v <= 1 };
  const k = view.categories ?? 0;
  return {
    expected: `an integer class index in [0, ${k})`,
    ok: (v) => Number.isInteger(v) && v >= 0 && v < k,
  };
}

/** The examples a field holds. */
function examplesOf(field: Field): number {
  return field.width === 0 ? 0 : field.values.length / field.width;
}

/**
 * Checks the selection's values in every example of the field (not only those a `limit` keeps:
 * a file is valid or not whatever the run reads of it) against the view's support: finite reals,
 * [0, 1] for binary, class indices for categorical.
 */
export function validate(field: Field, columns: number[], view: IrView): void {
  const { expected, ok } = viewType(view);
  const n = examplesOf(field);
  for (let i = 0; i < n; i++) {
    const base = i * field.width;
    for (const c of columns) {
      const v = field.values[base + c]!;
      if (!ok(v))
        throw new DataError(
          field.file,
          field.where(i),
          `${field.cell(c)} is ${v}, expected ${expected} (${declaration(view)})`,
        );
    }
  }
}

/**
 * Checks every value of a field, whether or not a view reads it: each must be a finite real (a
 * label file's class indices were checked as it was read). `readers(c)` names the views reading
 * value c (`not read by any view` when none does).
 */
export function validateField(
  field: Field,
  readers: (c: number) => string,
): void {
  const n = examplesOf(field);
  for (let i = 0; i < n; i++) {
    const base = i * field.width;
    for (let c = 0; c < field.width; c++) {
      const v = field.values[base + c]!;
      if (!Number.isFinite(v))
        throw new DataError(
          field.file,
          field.where(i),
          `${field.cell(c)} is ${v}, expected a finite real (${readers(c)})`,
        );
    }
  }
}
