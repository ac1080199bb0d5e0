// NumPy .npy files (format versions 1.0, 2.0, 3.0): header dictionary, 1-D or 2-D C-order arrays.
import { DataError, plural, readBytes } from "./errors.js";

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

export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  const bad = (problem: string): DataError =>
    new DataError(file, "header", problem);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw bad(
      "no \\x93NUMPY magic string at the start, expected a NumPy .npy file",
    );
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (major < 1 || major > 3)
    throw bad(`format version ${major}.${minor}, expected 1.0, 2.0 or 3.0`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major > 1 && bytes.length < 12)
    throw bad(`truncated: ${plural(bytes.length, "byte")}, no header length`);
  const headerLength =
    major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const dataStart = start + headerLength;
  if (bytes.length < dataStart)
    throw bad(
      `truncated: the header is ${headerLength} bytes long, the file ends after ${bytes.length - start}`,
    );
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(
    bytes.subarray(start, dataStart),
  );
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
  const n = shape[0]!;
  const width = shape[1] ?? 1;
  if (width === 0)
    throw bad(
      `shape (${shape.join(", ")}): every example has 0 values, expected at least 1`,
    );
  const rowBytes = width * dtype.size;
  const need = n * rowBytes;
  const have = bytes.length - dataStart;
  const shown = `shape (${shape.join(", ")}${shape.length === 1 ? "," : ""}) of '${descr}'`;
  if (have < need) {
    const index = Math.floor(have / rowBytes);
    throw new DataError(
      file,
      { index },
      `truncated file: ${shown} needs ${need} data bytes, the file has ${have} and ends inside example ${index}`,
    );
  }
  if (have > need)
    throw new DataError(
      file,
      "file",
      `${plural(have - need, "trailing byte")} after the last example (index ${n - 1}): ${shown} needs exactly ${need} data bytes`,
    );
  const read = reader(view, dtype);
  const values = new Float32Array(n * width);
  for (let i = 0; i < values.length; i++)
    values[i] = read(dataStart + i * dtype.size);
  return { n, width, shape, descr, values };
}

/** Reads and parses a .npy file; `shown` is how messages name it. */
export function readNpy(path: string, shown = path): NpyArray {
  return parseNpy(readBytes(path, shown), shown);
}
