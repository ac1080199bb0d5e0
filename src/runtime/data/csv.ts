// Numeric CSV files: an optional header row, then rows of finite numbers, all with one column count.
// Files are parsed as a stream of chunks, so their size is bounded only by the values they hold.
import { StringDecoder } from "node:string_decoder";
import { LineSplitter } from "./csv-lines.js";
import { DataError } from "./errors.js";
import {
  formatBytes,
  limitsOf,
  readChunk,
  withDataFile,
  type DataLimits,
} from "./open.js";

/** A CSV file as examples: `values` holds n × width numbers, row-major. */
export interface CsvTable {
  n: number;
  width: number;
  values: Float32Array;
  /** The 1-based line of the file each row comes from (the header and blank lines count). */
  lines: Float64Array;
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
  /** Overrides of DATA_LIMITS (the most values, the longest line, the chunk size). */
  limits?: Partial<DataLimits>;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A Float32Array (or Float64Array) that grows as values are appended. */
class Growing<T extends Float32Array | Float64Array> {
  length = 0;
  constructor(private data: T) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new (this.data.constructor as new (n: number) => T)(
        Math.max(16, this.data.length * 2),
      );
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}

/**
 * Parses numeric CSV text pushed in pieces of any size. Cells are split on commas and trimmed
 * (spaces and CRLF are fine); blank lines are skipped; there is no quoting. Columns are 1-based
 * in messages, like lines. `fileBytes` (the file's size) lets the size message give an estimate.
 */
export class CsvParser {
  private readonly values = new Growing(new Float32Array(1024));
  private readonly lines = new Growing(new Float64Array(64));
  private readonly splitter: LineSplitter;
  private readonly limits: DataLimits;
  private width = -1;
  private firstLine = 0;
  private names: string[] | undefined;
  private started = false;
  /** Bytes of the file read, characters of text pushed, characters of lines parsed. */
  private bytesRead = 0;
  private charsPushed = 0;
  private charsDone = 0;

  constructor(
    private readonly file: string,
    private readonly options: CsvOptions,
    private readonly fileBytes?: number,
  ) {
    this.limits = limitsOf(options.limits);
    this.splitter = new LineSplitter(
      (text, line) => this.row(text, line),
      this.limits.maxLineChars,
      (line) => {
        throw new DataError(
          file,
          { line },
          `the line is longer than ${this.limits.maxLineChars} characters, the most a CSV line may hold`,
        );
      },
    );
  }

  /** Parses the next piece of text; `bytesRead` is how far into the file it ends. */
  push(text: string, bytesRead?: number): void {
    if (bytesRead !== undefined) this.bytesRead = bytesRead;
    let piece = text;
    if (!this.started && piece !== "") {
      this.started = true;
      piece = piece.replace(/^\uFEFF/, "");
    }
    this.charsPushed += piece.length;
    this.splitter.push(piece);
  }

  end(): CsvTable {
    this.splitter.end();
    return {
      n: this.lines.length,
      width: Math.max(this.width, 0),
      values: this.values.done(),
      lines: this.lines.done(),
      ...(this.names ? { names: this.names } : {}),
    };
  }

  private row(row: string, line: number): void {
    this.charsDone += row.length + 1;
    if (row.trim() === "") return;
    const cells = row.split(",").map((c) => c.trim());
    if (this.options.header && this.names === undefined) {
      this.names = cells.map((c) => c.replace(/^"(.*)"$/, "$1"));
      return;
    }
    this.checkWidth(cells.length, line);
    if (this.values.length + cells.length > this.limits.maxValues)
      this.tooMany(line, this.values.length + cells.length);
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c]!;
      const f = Math.fround(Number(cell));
      if (!NUMBER.test(cell) || !Number.isFinite(f))
        this.badCell(cell, c, line);
      this.values.push(f);
    }
    this.lines.push(line);
  }

  private checkWidth(width: number, line: number): void {
    if (this.width === -1) {
      this.width = width;
      this.firstLine = line;
      if (this.names !== undefined && this.names.length !== width)
        throw new DataError(
          this.file,
          { line },
          `${width} columns, expected ${this.names.length} like the header`,
        );
    } else if (width !== this.width)
      throw new DataError(
        this.file,
        { line },
        `${width} columns, expected ${this.width} like line ${this.firstLine} (every row must have the same number of columns)`,
      );
  }

  private badCell(cell: string, c: number, line: number): never {
    const what = this.options.describeColumn?.(c);
    const hint =
      !this.options.header && this.lines.length === 0
        ? "; if this line is a header, write `header: true`"
        : "";
    throw new DataError(
      this.file,
      { line },
      `column ${c + 1} is ${JSON.stringify(cell)}, expected a finite real${NUMBER.test(cell) ? " (in float32 range)" : ""}${what ? ` (${what})` : ""}${hint}`,
    );
  }

  /** Refuses the file at `line`, which brings the values to `count`, estimating the total. */
  private tooMany(line: number, count: number): never {
    const { maxValues } = this.limits;
    // the bytes up to this line, if characters are spread evenly over the bytes read
    const done =
      this.bytesRead *
      Math.min(1, this.charsDone / Math.max(1, this.charsPushed));
    const estimate =
      this.fileBytes !== undefined && done > 0
        ? Math.round((count * this.fileBytes) / done)
        : undefined;
    const about =
      estimate === undefined
        ? ""
        : ` (about ${estimate} in all, ${formatBytes(estimate * 4)} as float32, judging by the first ${formatBytes(Math.round(done))} of the ${formatBytes(this.fileBytes!)} file)`;
    throw new DataError(
      this.file,
      { line },
      `more than ${maxValues} values by this line${about}, the most one data file may hold (${formatBytes(maxValues * 4)} as float32); use a file with fewer examples`,
    );
  }
}

/** Parses numeric CSV text held whole. */
export function parseCsv(
  text: string,
  file: string,
  options: CsvOptions,
): CsvTable {
  const parser = new CsvParser(file, options);
  parser.push(text);
  return parser.end();
}

/**
 * Reads and parses a numeric CSV file chunk by chunk (UTF-8, a multi-byte character may straddle
 * two chunks); `shown` is how messages name it. Only a regular file is read.
 */
export function readCsv(
  path: string,
  shown: string,
  options: CsvOptions,
): CsvTable {
  const { chunkBytes } = limitsOf(options.limits);
  return withDataFile(path, shown, (file) => {
    const parser = new CsvParser(shown, options, file.size);
    const decoder = new StringDecoder("utf8");
    const buffer = Buffer.alloc(
      Math.min(chunkBytes, Math.max(file.size, 4096)),
    );
    for (let position = 0; ;) {
      const got = readChunk(file, buffer, position);
      if (got === 0) break;
      position += got;
      parser.push(decoder.write(buffer.subarray(0, got)), position);
    }
    parser.push(decoder.end());
    return parser.end();
  });
}
