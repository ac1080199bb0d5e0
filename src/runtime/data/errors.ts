// DataError: a data file that cannot be used, naming the file, the line or example, and what was expected.

/**
 * Where in a file a problem is:
 * - `{ line }`: a 1-based line of a text file (CSV), counting the header and blank lines, so an
 *   editor jumps straight to it; printed `file:17: ...` like a compiler diagnostic;
 * - `{ index }`: a 0-based example index of a binary file (IDX, NPY), printed
 *   `file: example 17 (0-based): ...`;
 * - `"header"`: the header of a binary file; `"file"`: the file as a whole.
 */
export type Where = { line: number } | { index: number } | "header" | "file";

export function placeOf(file: string, where: Where): string {
  if (where === "file") return file;
  if (where === "header") return `${file}: header`;
  if ("line" in where) return `${file}:${where.line}`;
  return `${file}: example ${where.index} (0-based)`;
}

/** A data file is missing, corrupt, truncated, or does not hold what a view declares. */
export class DataError extends Error {
  override name = "DataError";
  constructor(
    readonly file: string,
    readonly where: Where,
    readonly problem: string,
  ) {
    super(`${placeOf(file, where)}: ${problem}`);
  }
}

/** `1 example`, `3 examples`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
