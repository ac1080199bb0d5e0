// A view's slice of a source field (all, an image half, a column range) and its validation.
import type { IrSelect, IrView } from "../../compiler/ir/types.js";
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

/** Checks every value against the view's support: finite reals, [0, 1] for binary, classes. */
export function validate(
  values: Float32Array,
  field: Field,
  columns: number[],
  view: IrView,
): void {
  const m = columns.length;
  const k = view.categories ?? 0;
  const expected =
    view.support === "real"
      ? "a finite real"
      : view.support === "binary"
        ? "a value in [0, 1]"
        : `an integer class index in [0, ${k})`;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const ok =
      view.support === "real"
        ? Number.isFinite(v)
        : view.support === "binary"
          ? v >= 0 && v <= 1
          : Number.isInteger(v) && v >= 0 && v < k;
    if (!ok) {
      const example = Math.floor(i / m);
      throw new DataError(
        field.file,
        field.where(example),
        `${field.cell(columns[i % m]!)} is ${v}, expected ${expected} (${declaration(view)})`,
      );
    }
  }
}
