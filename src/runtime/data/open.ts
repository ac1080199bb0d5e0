// Opening data files: only regular files are data; they are read in bounded chunks, within limits.
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  statSync,
  type Stats,
} from "node:fs";
import { describeFsError } from "../io/files.js";
import { DataError, type Where } from "./errors.js";

/** How much data the loaders accept, and how they read it. Tests shrink these. */
export interface DataLimits {
  /**
   * The most values one data file may hold: 2^29, i.e. 2 GiB as float32. Every loader holds a
   * file's values in one Float32Array, and the data are then copied to the tensor backend, whose
   * wasm build addresses 4 GiB in all; V8's typed arrays stop at 4 GiB on Node 20.
   */
  maxValues: number;
  /** The longest CSV line, in characters (2^26, 64 Mi): longer lines are refused, not buffered. */
  maxLineChars: number;
  /** The bytes read at a time (1 MiB): a file is never held whole as bytes or as text. */
  chunkBytes: number;
}

export const DATA_LIMITS: Readonly<DataLimits> = {
  maxValues: 2 ** 29,
  maxLineChars: 2 ** 26,
  chunkBytes: 2 ** 20,
};

export function limitsOf(overrides?: Partial<DataLimits>): DataLimits {
  return { ...DATA_LIMITS, ...overrides };
}

/** `2 GiB`, `1.5 MiB`, `300 bytes`. */
export function formatBytes(bytes: number): string {
  const units = ["KiB", "MiB", "GiB", "TiB", "PiB"];
  if (bytes < 1024) return `${bytes} bytes`;
  let v = bytes;
  let unit = "bytes";
  for (const u of units) {
    if (v < 1024) break;
    v /= 1024;
    unit = u;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${unit}`;
}

/** What a file that is not a regular one is, in words: `a FIFO (named pipe)`, `a directory`. */
export function describeFileKind(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}

/** An open regular data file; `shown` is how messages name it. */
export interface DataFile {
  fd: number;
  shown: string;
  size: number;
}

function refuse(path: string, shown: string, problem: string): DataError {
  return new DataError(
    shown,
    "file",
    `${problem}${shown === path ? "" : ` at ${path}`}`,
  );
}

function refuseKind(path: string, shown: string, stats: Stats): void {
  const kind = describeFileKind(stats);
  if (kind !== undefined)
    throw refuse(
      path,
      shown,
      `is ${kind}, expected a regular file (data are read from files, not from pipes, devices, sockets or directories)`,
    );
}

/**
 * Opens `path` for reading if it is a regular file (symbolic links followed). The path is stat'ed
 * before it is opened, since opening a FIFO blocks; it is opened non-blocking and checked again
 * through the descriptor, so a file swapped for a pipe in between is refused too.
 */
export function openDataFile(path: string, shown: string): DataFile {
  let fd: number;
  try {
    refuseKind(path, shown, statSync(path));
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw refuse(path, shown, `cannot read (${describeFsError(err)})`);
  }
  try {
    const stats = fstatSync(fd);
    refuseKind(path, shown, stats);
    return { fd, shown, size: stats.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** Runs `use` on the opened file and closes it, whatever happens. */
export function withDataFile<T>(
  path: string,
  shown: string,
  use: (file: DataFile) => T,
): T {
  const file = openDataFile(path, shown);
  try {
    return use(file);
  } finally {
    closeSync(file.fd);
  }
}

/** Reads up to `buffer.length` bytes at `position`; fewer only at the end of the file. */
export function readChunk(
  file: DataFile,
  buffer: Uint8Array,
  position: number,
): number {
  let got = 0;
  try {
    while (got < buffer.length) {
      const k = readSync(
        file.fd,
        buffer,
        got,
        buffer.length - got,
        position + got,
      );
      if (k === 0) break;
      got += k;
    }
  } catch (err) {
    throw new DataError(
      file.shown,
      "file",
      `cannot read (${describeFsError(err)})`,
    );
  }
  return got;
}

/** Random access to a binary file's bytes: an open file, or bytes already in memory. */
export interface ByteSource {
  file: string;
  size: number;
  chunkBytes: number;
  /** Exactly `length` bytes at `offset` (the caller has checked they lie inside `size`). */
  read(offset: number, length: number): Uint8Array;
}

export function memorySource(
  bytes: Uint8Array,
  file: string,
  chunkBytes = DATA_LIMITS.chunkBytes,
): ByteSource {
  return {
    file,
    size: bytes.length,
    chunkBytes,
    read: (offset, length) => bytes.subarray(offset, offset + length),
  };
}

export function fileSource(file: DataFile, chunkBytes: number): ByteSource {
  return {
    file: file.shown,
    size: file.size,
    chunkBytes,
    read: (offset, length) => {
      const out = new Uint8Array(length);
      const got = readChunk(file, out, offset);
      if (got < length)
        throw new DataError(
          file.shown,
          "file",
          `ended at byte ${offset + got} while being read, but it was ${file.size} bytes long when opened (was it changed meanwhile?)`,
        );
      return out;
    },
  };
}

/**
 * Refuses a file whose values would not fit in memory, before they are allocated: `count` values
 * (from a header, or counted so far) against `limits.maxValues`.
 */
export function checkValueCount(
  file: string,
  where: Where,
  what: string,
  count: number,
  limits: DataLimits,
): void {
  if (count <= limits.maxValues) return;
  throw new DataError(
    file,
    where,
    `${what} is ${count} values (${formatBytes(count * 4)} as float32), more than the ${limits.maxValues} values (${formatBytes(limits.maxValues * 4)}) one data file may hold; use a file with fewer examples`,
  );
}
