// Loads one train-block data source (mnist, idx, csv, npy) into named fields of n examples each.
import { resolve } from "node:path";
import type { IrSource } from "../../ir/types.js";
import { readCsv } from "./csv.js";
import { DataError, type Where } from "./errors.js";
import { readIdx, readIdxLabels } from "./idx.js";
import { loadMnist } from "./mnist.js";
import { readNpy } from "./npy.js";
import type { DataLimits } from "./open.js";

/** One field of a source (`image`, `label`, `row`): n × width values, row-major. */
export interface Field {
  name: string;
  /** The file the values come from, as messages name it. */
  file: string;
  width: number;
  /** How messages count the values of an example: `columns` (CSV) or `values per example`. */
  unit: string;
  values: Float32Array;
  /** Set for image fields (an IDX file of n × height × width): halves can be taken. */
  image?: { height: number; width: number };
  /** Where example i is in the file. */
  where(i: number): Where;
  /** How the 0-based value c of an example is named in messages (`column 3`, `pixel (0, 5)`). */
  cell(c: number): string;
}

export interface LoadedSource {
  /** How the train block wrote the source: `csv(path: "x.csv", header: true)`. */
  description: string;
  n: number;
  fields: Map<string, Field>;
  binarize: "none" | "static" | "dynamic";
  /** The file that holds the examples (the image file of a labelled IDX pair). */
  file: string;
  where(i: number): Where;
}

const indexed = (i: number): Where => ({ index: i });

export function describeSource(s: IrSource): string {
  switch (s.kind) {
    case "mnist":
      return `mnist(split: "${s.split}", binarize: ${s.binarize})`;
    case "idx":
      return `idx(path: ${JSON.stringify(s.path)}${s.labels === undefined ? "" : `, labels: ${JSON.stringify(s.labels)}`}, binarize: ${s.binarize})`;
    case "csv":
      return `csv(path: ${JSON.stringify(s.path)}, header: ${s.header})`;
    case "npy":
      return `npy(path: ${JSON.stringify(s.path)})`;
  }
}

function imageCell(w: number): (c: number) => string {
  return (c) =>
    `pixel ${c} (row ${Math.floor(c / w)}, column ${c % w}, 0-based)`;
}

const valueCell = (width: number) => (c: number) =>
  width === 1 ? "the value" : `value ${c} (0-based)`;

function labelField(file: string, values: Int32Array): Field {
  return {
    name: "label",
    file,
    width: 1,
    unit: "values per example",
    values: Float32Array.from(values),
    where: indexed,
    cell: () => "the label",
  };
}

/**
 * Reads a source. Relative paths are resolved against `baseDir` (the .vae file's folder) and
 * shown as written. `describeColumn` names what a CSV column is read as, for messages; `limits`
 * overrides DATA_LIMITS.
 */
export function loadSource(
  source: IrSource,
  baseDir: string,
  describeColumn?: (column: number) => string | undefined,
  limits?: Partial<DataLimits>,
): LoadedSource {
  const description = describeSource(source);
  const fields = new Map<string, Field>();
  const done = (
    n: number,
    file: string,
    where: (i: number) => Where,
    binarize: LoadedSource["binarize"] = "none",
  ): LoadedSource => ({ description, n, fields, binarize, file, where });

  if (source.kind === "mnist") {
    const m = loadMnist(source.split, limits);
    fields.set("image", {
      name: "image",
      file: m.imagesFile,
      width: m.images.width,
      unit: "values per example",
      values: m.images.values,
      image: { height: 28, width: 28 },
      where: indexed,
      cell: imageCell(28),
    });
    fields.set("label", labelField(m.labelsFile, m.labels.values));
    return done(m.images.n, m.imagesFile, indexed, source.binarize);
  }

  if (source.kind === "idx") {
    const a = readIdx(resolve(baseDir, source.path), source.path, limits);
    const image =
      a.shape.length === 3
        ? { height: a.shape[1]!, width: a.shape[2]! }
        : undefined;
    fields.set("image", {
      name: "image",
      file: source.path,
      width: a.width,
      unit: "values per example",
      values: a.values,
      ...(image ? { image } : {}),
      where: indexed,
      cell: image ? imageCell(image.width) : valueCell(a.width),
    });
    if (source.labels !== undefined) {
      const l = readIdxLabels(
        resolve(baseDir, source.labels),
        source.labels,
        limits,
      );
      if (l.n !== a.n) {
        const [long, short] =
          l.n > a.n
            ? [
                { file: source.labels, n: l.n },
                { file: source.path, n: a.n },
              ]
            : [
                { file: source.path, n: a.n },
                { file: source.labels, n: l.n },
              ];
        throw new DataError(
          long.file,
          { index: short.n },
          `no partner for this example: ${short.file} has ${short.n} examples, ${long.file} has ${long.n}; an IDX image file and its labels must hold the same number of examples`,
        );
      }
      fields.set("label", labelField(source.labels, l.values));
    }
    return done(a.n, source.path, indexed, source.binarize);
  }

  if (source.kind === "csv") {
    const t = readCsv(resolve(baseDir, source.path), source.path, {
      header: source.header,
      ...(describeColumn ? { describeColumn } : {}),
      ...(limits ? { limits } : {}),
    });
    const where = (i: number): Where => ({ line: t.lines[i] ?? 0 });
    fields.set("row", {
      name: "row",
      file: source.path,
      width: t.width,
      unit: "columns",
      values: t.values,
      where,
      cell: (c) => `column ${c + 1}`,
    });
    return done(t.n, source.path, where);
  }

  const a = readNpy(resolve(baseDir, source.path), source.path, limits);
  fields.set("row", {
    name: "row",
    file: source.path,
    width: a.width,
    unit: "values per example",
    values: a.values,
    where: indexed,
    cell: valueCell(a.width),
  });
  return done(a.n, source.path, indexed);
}
