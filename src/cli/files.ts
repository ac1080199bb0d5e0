// File helpers for the CLI: reading sources with readable errors, and atomic writes (temp + rename).
import { readFileSync, renameSync, writeFileSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export class CliError extends Error {}

export function readSource(path: string): string {
  try {
    // A byte-order mark is not part of the text: without this it would count as a column.
    return readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a directory"
          : code === "EACCES"
            ? "permission denied"
            : String((err as Error).message);
    throw new CliError(`cannot read ${path}: ${why}`);
  }
}

/** Writes `text` to `path` so that readers see either the old or the new file, never a torn one. */
export function writeAtomic(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new CliError(`cannot write ${path}: ${(err as Error).message}`);
  }
}
