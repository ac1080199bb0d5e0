// Numeric CSV files: an optional header row, then rows of finite numbers, all with one column count.
import { DataError, readBytes } from "./errors.js";

/** A CSV file as examples: `values` holds n × width numbers, row-major. */
export interface CsvTable {
  n: number;
  width: number;
  values: Float32Array;
  /** The 1-based line of the file each row comes from (the header and blank lines count). */
  lines: Int32Array;
  /** The header's column names, when the file has a header. */
  names?: string[];
}

export interface CsvOptions {
  header: boolean;
  /**
   * What a (0-based) column is read as, for messages: e.g. `view x : real[4]`. A bad value in
   * that column then says so: `x.csv:17: column 3 is "abc", expected a finite real (view x : real[4])`.
   */
  describeColumn?: (column: number) => string | undefined;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses numeric CSV text. Cells are split on commas and trimmed (spaces and CRLF are fine); blank
 * lines are skipped; there is no quoting. Columns are 1-based in messages, like lines.
 */
export function parseCsv(
  text: string,
  file: string,
  options: CsvOptions,
): CsvTable {
  const rows = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const values: number[] = [];
  const lines: number[] = [];
  let width = -1;
  let firstLine = 0;
  let names: string[] | undefined;
  for (let l = 0; l < rows.length; l++) {
    const row = rows[l]!;
    if (row.trim() === "") continue;
    const line = l + 1;
    const cells = row.split(",").map((c) => c.trim());
    if (options.header && names === undefined) {
      names = cells.map((c) => c.replace(/^"(.*)"$/, "$1"));
      continue;
    }
    if (width === -1) {
      width = cells.length;
      firstLine = line;
      if (names !== undefined && names.length !== width)
        throw new DataError(
          file,
          { line },
          `${cells.length} columns, expected ${names.length} like the header`,
        );
    } else if (cells.length !== width)
      throw new DataError(
        file,
        { line },
        `${cells.length} columns, expected ${width} like line ${firstLine} (every row must have the same number of columns)`,
      );
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c]!;
      const f = Math.fround(Number(cell));
      if (!NUMBER.test(cell) || !Number.isFinite(f)) {
        const what = options.describeColumn?.(c);
        const hint =
          !options.header && lines.length === 0
            ? "; if this line is a header, write `header: true`"
            : "";
        throw new DataError(
          file,
          { line },
          `column ${c + 1} is ${JSON.stringify(cell)}, expected a finite real${NUMBER.test(cell) ? " (in float32 range)" : ""}${what ? ` (${what})` : ""}${hint}`,
        );
      }
      values.push(f);
    }
    lines.push(line);
  }
  return {
    n: lines.length,
    width: Math.max(width, 0),
    values: Float32Array.from(values),
    lines: Int32Array.from(lines),
    ...(names ? { names } : {}),
  };
}

/** Reads and parses a numeric CSV file; `shown` is how messages name it. */
export function readCsv(
  path: string,
  shown: string,
  options: CsvOptions,
): CsvTable {
  const text = new TextDecoder("utf-8").decode(readBytes(path, shown));
  return parseCsv(text, shown, options);
}
