// File helpers: reading sources with readable errors, and atomic writes (temp + rename) so a run
// killed at any moment leaves either the old file or the new one.
import { readFileSync, renameSync, writeFileSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** A file could not be read or written; the message names the file and why. */
export class IoError extends Error {}

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
    throw new IoError(`cannot read ${path}: ${why}`);
  }
}

/** Writes `text` to `path` so that readers see either the old or the new file, never a torn one. */
export function writeAtomic(path: string, data: string | Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new IoError(`cannot write ${path}: ${(err as Error).message}`);
  }
}
