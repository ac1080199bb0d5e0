// IDX files (the format of LeCun's MNIST distribution): header, big-endian values, precise errors.
import { DataError, plural, readBytes } from "./errors.js";

export type IdxType =
  "uint8" | "int8" | "int16" | "int32" | "float32" | "float64";

const TYPES: Record<number, { type: IdxType; size: number }> = {
  0x08: { type: "uint8", size: 1 },
  0x09: { type: "int8", size: 1 },
  0x0b: { type: "int16", size: 2 },
  0x0c: { type: "int32", size: 4 },
  0x0d: { type: "float32", size: 4 },
  0x0e: { type: "float64", size: 8 },
};

const TYPE_LIST =
  "0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64";

interface IdxHeader {
  shape: number[];
  n: number;
  width: number;
  type: IdxType;
  size: number;
  offset: number;
}

/** An IDX file as examples: `values` holds n × width numbers, row-major. */
export interface IdxArray {
  /** Number of examples: the first dimension. */
  n: number;
  /** Values per example: the product of the other dimensions (1 for a 1-D file). */
  width: number;
  /** Every dimension, the first being n (MNIST images: [60000, 28, 28]). */
  shape: number[];
  type: IdxType;
  values: Float32Array;
}

/** An IDX label file: one integer per example. */
export interface IdxLabels {
  n: number;
  width: 1;
  shape: number[];
  type: IdxType;
  values: Int32Array;
}

function hex(b: number): string {
  return `0x${b.toString(16).toUpperCase().padStart(2, "0")}`;
}

function describeShape(h: { shape: number[]; type: IdxType }): string {
  return `${h.shape.join(" × ")} ${h.type}`;
}

function readHeader(bytes: Uint8Array, file: string): IdxHeader {
  const expected = `expected an IDX file (two zero bytes, a type byte: ${TYPE_LIST}; then the number of dimensions)`;
  if (bytes.length < 4)
    throw new DataError(
      file,
      "header",
      `the file is ${plural(bytes.length, "byte")} long, too short for the 4-byte magic number; ${expected}`,
    );
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = [...bytes.subarray(0, 4)].map((b) => hex(b).slice(2));
    throw new DataError(
      file,
      "header",
      `bad magic number 0x${magic.join("")}, ${expected}`,
    );
  }
  const t = TYPES[bytes[2]!];
  if (t === undefined)
    throw new DataError(
      file,
      "header",
      `unsupported data type byte ${hex(bytes[2]!)}, expected one of ${TYPE_LIST}`,
    );
  const ndims = bytes[3]!;
  if (ndims === 0)
    throw new DataError(
      file,
      "header",
      "0 dimensions, expected at least 1 (the number of examples)",
    );
  const offset = 4 + 4 * ndims;
  if (bytes.length < offset)
    throw new DataError(
      file,
      "header",
      `truncated: ${ndims} dimensions need a ${offset}-byte header, the file has ${plural(bytes.length, "byte")}`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < ndims; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const width = shape.slice(1).reduce((a, b) => a * b, 1);
  const h = { shape, n: shape[0]!, width, ...t, offset };
  if (width === 0)
    throw new DataError(
      file,
      "header",
      `shape ${describeShape(h)} has a zero dimension, expected every example to hold at least one value`,
    );
  const need = h.n * width * t.size;
  const have = bytes.length - offset;
  if (have < need) {
    const index = Math.floor(have / (width * t.size));
    throw new DataError(
      file,
      { index },
      `truncated file: the header declares ${describeShape(h)} (${need + offset} bytes), the file has ${bytes.length} bytes and ends inside example ${index}`,
    );
  }
  if (have > need)
    throw new DataError(
      file,
      "file",
      `${plural(have - need, "trailing byte")} after the last example (index ${h.n - 1}): the header declares ${describeShape(h)}, expected the file to end at byte ${need + offset}`,
    );
  return h;
}

function decode(bytes: Uint8Array, h: IdxHeader): Float64Array | Uint8Array {
  const count = h.n * h.width;
  if (h.type === "uint8") return bytes.subarray(h.offset, h.offset + count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(count);
  const at = (i: number) => h.offset + i * h.size;
  for (let i = 0; i < count; i++)
    out[i] =
      h.type === "int8"
        ? view.getInt8(at(i))
        : h.type === "int16"
          ? view.getInt16(at(i), false)
          : h.type === "int32"
            ? view.getInt32(at(i), false)
            : h.type === "float32"
              ? view.getFloat32(at(i), false)
              : view.getFloat64(at(i), false);
  return out;
}

/**
 * Parses an IDX file of examples (images or any array). uint8 values are grey levels 0..255 and
 * come back divided by 255, i.e. in [0, 1]; values of every other type are returned as stored.
 */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  const h = readHeader(bytes, file);
  const raw = decode(bytes, h);
  const values = new Float32Array(raw.length);
  if (h.type === "uint8")
    for (let i = 0; i < raw.length; i++) values[i] = raw[i]! / 255;
  else values.set(raw);
  return { n: h.n, width: h.width, shape: h.shape, type: h.type, values };
}

/** Parses an IDX label file: 1-D (or one value per example), every value an integer. */
export function parseIdxLabels(bytes: Uint8Array, file: string): IdxLabels {
  const h = readHeader(bytes, file);
  if (h.width !== 1)
    throw new DataError(
      file,
      "header",
      `shape ${describeShape(h)}, expected one label per example (a 1-D file)`,
    );
  const raw = decode(bytes, h);
  const values = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i]!;
    if (!Number.isInteger(v))
      throw new DataError(
        file,
        { index: i },
        `label is ${v}, expected an integer class index`,
      );
    values[i] = v;
  }
  return { n: h.n, width: 1, shape: h.shape, type: h.type, values };
}

/** Reads and parses an IDX example file; `shown` is how messages name it. */
export function readIdx(path: string, shown = path): IdxArray {
  return parseIdx(readBytes(path, shown), shown);
}

/** Reads and parses an IDX label file; `shown` is how messages name it. */
export function readIdxLabels(path: string, shown = path): IdxLabels {
  return parseIdxLabels(readBytes(path, shown), shown);
}
