// File helpers: reading sources with readable errors, and atomic writes (temp + rename) so a run
// killed at any moment leaves either the old file or the new one.
import {
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

/** A file could not be read or written; the message names the file and why. */
export class IoError extends Error {}

/** Why a file-system call failed, in words ("no such file", "permission denied", ...). */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "is a directory";
  if (code === "EACCES") return "permission denied";
  return String((err as Error).message);
}

/**
 * The bytes of a regular file (a link to one is fine). Anything else is refused before it is
 * opened: reading a FIFO blocks for ever, and a device such as /dev/zero never ends.
 */
export function readRegularFile(path: string): Buffer {
  try {
    const stats = statSync(path);
    if (!stats.isFile())
      throw new IoError(
        `cannot read ${path}: ${stats.isDirectory() ? "is a directory" : "not a regular file"}`,
      );
    return readFileSync(path);
  } catch (err) {
    if (err instanceof IoError) throw err;
    throw new IoError(`cannot read ${path}: ${describeFsError(err)}`);
  }
}

export function readSource(path: string): string {
  // A byte-order mark is not part of the text: without this it would count as a column.
  return readRegularFile(path)
    .toString("utf8")
    .replace(/^\uFEFF/, "");
}

/** The temp file writeAtomic writes before renaming it to `path`: `.<name>.<pid>.tmp`. */
export const tempPathOf = (path: string, pid = process.pid): string =>
  join(dirname(path), `.${basename(path)}.${pid}.tmp`);

/** The writer's pid if `name` is a temp file name as tempPathOf makes them. */
export function tempWriterPid(name: string): number | undefined {
  const m = /^\..+\.([1-9][0-9]{0,9})\.tmp$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Writes `text` to `path` so that readers see either the old or the new file, never a torn one. */
export function writeAtomic(path: string, data: string | Uint8Array): void {
  const temp = tempPathOf(path);
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (err) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // The folder is missing or not a folder: there is no temp file to remove.
    }
    // Name the user's path, never the temp file.
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? `no such folder ${dirname(path)}`
        : code === "ENOTDIR"
          ? `${dirname(path)} is not a folder`
          : describeFsError(err).replaceAll(temp, path);
    throw new IoError(`cannot write ${path}: ${why}`);
  }
}
