// NumPy .npy files (format versions 1.0, 2.0, 3.0): header dictionary, 1-D or 2-D C-order arrays.
import { DataError, plural } from "./errors.js";
import {
  checkValueCount,
  DATA_LIMITS,
  fileSource,
  limitsOf,
  memorySource,
  withDataFile,
  type ByteSource,
  type DataLimits,
} from "./open.js";

/** A .npy array as examples: a 1-D array is n examples of 1 value, a 2-D one n × width. */
export interface NpyArray {
  n: number;
  width: number;
  shape: number[];
  /** The dtype as the header wrote it, e.g. `<f4`. */
  descr: string;
  /** n × width values, row-major, as stored (booleans as 0/1; no scaling). */
  values: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const SUPPORTED =
  "'<f2' '<f4' '<f8' '|i1' '<i2' '<i4' '<i8' '|u1' '<u2' '<u4' '<u8' '|b1' (or big-endian '>')";

interface Dtype {
  kind: "f" | "i" | "u" | "b";
  size: number;
  little: boolean;
}

function parseDescr(descr: string): Dtype | undefined {
  const m = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  if (m === null) return undefined;
  const kind = m[2] as Dtype["kind"];
  const size = Number(m[3]);
  const sizes = { f: [2, 4, 8], i: [1, 2, 4, 8], u: [1, 2, 4, 8], b: [1] };
  if (!sizes[kind].includes(size)) return undefined;
  return { kind, size, little: m[1] !== ">" };
}

/** IEEE 754 half precision to a number. */
function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function reader(view: DataView, t: Dtype): (offset: number) => number {
  const le = t.little;
  if (t.kind === "f")
    return t.size === 2
      ? (o) => half(view.getUint16(o, le))
      : t.size === 4
        ? (o) => view.getFloat32(o, le)
        : (o) => view.getFloat64(o, le);
  if (t.kind === "b") return (o) => (view.getUint8(o) === 0 ? 0 : 1);
  if (t.kind === "u")
    return t.size === 1
      ? (o) => view.getUint8(o)
      : t.size === 2
        ? (o) => view.getUint16(o, le)
        : t.size === 4
          ? (o) => view.getUint32(o, le)
          : (o) => Number(view.getBigUint64(o, le));
  return t.size === 1
    ? (o) => view.getInt8(o)
    : t.size === 2
      ? (o) => view.getInt16(o, le)
      : t.size === 4
        ? (o) => view.getInt32(o, le)
        : (o) => Number(view.getBigInt64(o, le));
}

/**
 * The longest header read: 1 MiB. NumPy writes a few hundred bytes (and by default reads at most
 * 10000); a longer one is a corrupt file, not a reason to allocate.
 */
export const NPY_MAX_HEADER_BYTES = 2 ** 20;

interface NpyHeader {
  shape: number[];
  descr: string;
  dtype: Dtype;
  dataStart: number;
}

/** The magic string, the version and the header dictionary's text. */
function readPreamble(src: ByteSource): { text: string; dataStart: number } {
  const bad = (problem: string) => new DataError(src.file, "header", problem);
  const head = src.read(0, Math.min(src.size, 12));
  if (head.length < 10 || MAGIC.some((b, i) => head[i] !== b))
    throw bad(
      "no \\x93NUMPY magic string at the start, expected a NumPy .npy file",
    );
  const major = head[6]!;
  const minor = head[7]!;
  if (major < 1 || major > 3)
    throw bad(`format version ${major}.${minor}, expected 1.0, 2.0 or 3.0`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (major > 1 && head.length < 12)
    throw bad(`truncated: ${plural(src.size, "byte")}, no header length`);
  const headerLength =
    major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const dataStart = start + headerLength;
  if (src.size < dataStart)
    throw bad(
      `truncated: the header is ${headerLength} bytes long, the file ends after ${src.size - start}`,
    );
  if (headerLength > NPY_MAX_HEADER_BYTES)
    throw bad(
      `the header is ${headerLength} bytes long, expected at most ${NPY_MAX_HEADER_BYTES} (NumPy writes a few hundred)`,
    );
  const text = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(
    src.read(start, headerLength),
  );
  return { text, dataStart };
}

/** The header dictionary: dtype, C order, a 1-D or 2-D shape. */
function readHeader(src: ByteSource): NpyHeader {
  const bad = (problem: string) => new DataError(src.file, "header", problem);
  const { text: header, dataStart } = readPreamble(src);
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw bad(
      `cannot read the header dictionary ${JSON.stringify(header.trim())}, expected {'descr': ..., 'fortran_order': ..., 'shape': (...)} with a simple dtype`,
    );
  const dtype = parseDescr(descr);
  if (dtype === undefined)
    throw bad(`unsupported dtype '${descr}', expected one of ${SUPPORTED}`);
  if (fortran === "True")
    throw bad(
      "fortran_order is True, expected False (C order): save with np.save(path, np.ascontiguousarray(a))",
    );
  const dims = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (dims.some((d) => !/^\d+L?$/.test(d)))
    throw bad(`cannot read the shape (${shapeText}), expected integers`);
  const shape = dims.map((d) => parseInt(d, 10));
  if (shape.length < 1 || shape.length > 2)
    throw bad(
      `shape (${shape.join(", ")}) is ${shape.length}-D, expected a 1-D or 2-D array (examples × values)`,
    );
  if ((shape[1] ?? 1) === 0)
    throw bad(
      `shape (${shape.join(", ")}): every example has 0 values, expected at least 1`,
    );
  return { shape, descr, dtype, dataStart };
}

/** The file holds exactly the bytes the header declares, and not more values than fit. */
function checkSize(src: ByteSource, h: NpyHeader, limits: DataLimits): void {
  const n = h.shape[0]!;
  const width = h.shape[1] ?? 1;
  const rowBytes = width * h.dtype.size;
  const need = n * rowBytes;
  const have = src.size - h.dataStart;
  const shown = `shape (${h.shape.join(", ")}${h.shape.length === 1 ? "," : ""}) of '${h.descr}'`;
  if (have < need) {
    const index = Math.floor(have / rowBytes);
    throw new DataError(
      src.file,
      { index },
      `truncated file: ${shown} needs ${need} data bytes, the file has ${have} and ends inside example ${index}`,
    );
  }
  if (have > need)
    throw new DataError(
      src.file,
      "file",
      `${plural(have - need, "trailing byte")} after the last example (index ${n - 1}): ${shown} needs exactly ${need} data bytes`,
    );
  checkValueCount(src.file, "header", shown, n * width, limits);
}

/** Parses a .npy file from `src`, reading its data in chunks into one Float32Array. */
export function parseNpyFrom(
  src: ByteSource,
  limits: DataLimits = DATA_LIMITS,
): NpyArray {
  const h = readHeader(src);
  checkSize(src, h, limits);
  const n = h.shape[0]!;
  const width = h.shape[1] ?? 1;
  const { size } = h.dtype;
  const values = new Float32Array(n * width);
  const per = Math.max(1, Math.floor(src.chunkBytes / size));
  for (let first = 0; first < values.length; first += per) {
    const k = Math.min(per, values.length - first);
    const bytes = src.read(h.dataStart + first * size, k * size);
    const read = reader(
      new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      h.dtype,
    );
    for (let i = 0; i < k; i++) values[first + i] = read(i * size);
  }
  return { n, width, shape: h.shape, descr: h.descr, values };
}

export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  return parseNpyFrom(memorySource(bytes, file));
}

/** Reads and parses a .npy file (a regular file only); `shown` is how messages name it. */
export function readNpy(
  path: string,
  shown = path,
  overrides?: Partial<DataLimits>,
): NpyArray {
  const limits = limitsOf(overrides);
  return withDataFile(path, shown, (file) =>
    parseNpyFrom(fileSource(file, limits.chunkBytes), limits),
  );
}
