// IDX files (the format of LeCun's MNIST distribution): header, big-endian values, precise errors.
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

/** The 4-byte magic number, the dimensions, and the size check (before anything is allocated). */
function readHeader(src: ByteSource, limits: DataLimits): IdxHeader {
  const { file, size } = src;
  const expected = `expected an IDX file (two zero bytes, a type byte: ${TYPE_LIST}; then the number of dimensions)`;
  if (size < 4)
    throw new DataError(
      file,
      "header",
      `the file is ${plural(size, "byte")} long, too short for the 4-byte magic number; ${expected}`,
    );
  const magic = src.read(0, 4);
  if (magic[0] !== 0 || magic[1] !== 0) {
    const digits = [...magic].map((b) => hex(b).slice(2));
    throw new DataError(
      file,
      "header",
      `bad magic number 0x${digits.join("")}, ${expected}`,
    );
  }
  const t = TYPES[magic[2]!];
  if (t === undefined)
    throw new DataError(
      file,
      "header",
      `unsupported data type byte ${hex(magic[2]!)}, expected one of ${TYPE_LIST}`,
    );
  const ndims = magic[3]!;
  if (ndims === 0)
    throw new DataError(
      file,
      "header",
      "0 dimensions, expected at least 1 (the number of examples)",
    );
  const offset = 4 + 4 * ndims;
  if (size < offset)
    throw new DataError(
      file,
      "header",
      `truncated: ${ndims} dimensions need a ${offset}-byte header, the file has ${plural(size, "byte")}`,
    );
  const dims = src.read(4, 4 * ndims);
  const view = new DataView(dims.buffer, dims.byteOffset, dims.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < ndims; d++) shape.push(view.getUint32(4 * d, false));
  const width = shape.slice(1).reduce((a, b) => a * b, 1);
  const h = { shape, n: shape[0]!, width, ...t, offset };
  if (width === 0)
    throw new DataError(
      file,
      "header",
      `shape ${describeShape(h)} has a zero dimension, expected every example to hold at least one value`,
    );
  checkSize(src, h);
  checkValueCount(
    file,
    "header",
    `shape ${describeShape(h)}`,
    h.n * width,
    limits,
  );
  return h;
}

/** The file holds exactly the bytes its header declares. */
function checkSize(src: ByteSource, h: IdxHeader): void {
  const need = h.n * h.width * h.size;
  const have = src.size - h.offset;
  if (have < need) {
    const index = Math.floor(have / (h.width * h.size));
    throw new DataError(
      src.file,
      { index },
      `truncated file: the header declares ${describeShape(h)} (${need + h.offset} bytes), the file has ${src.size} bytes and ends inside example ${index}`,
    );
  }
  if (have > need)
    throw new DataError(
      src.file,
      "file",
      `${plural(have - need, "trailing byte")} after the last example (index ${h.n - 1}): the header declares ${describeShape(h)}, expected the file to end at byte ${need + h.offset}`,
    );
}

/** The values of one chunk of the payload, as stored (uint8 as bytes, others as doubles). */
function decode(bytes: Uint8Array, h: IdxHeader): Float64Array | Uint8Array {
  if (h.type === "uint8") return bytes;
  const count = bytes.length / h.size;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const at = i * h.size;
    out[i] =
      h.type === "int8"
        ? view.getInt8(at)
        : h.type === "int16"
          ? view.getInt16(at, false)
          : h.type === "int32"
            ? view.getInt32(at, false)
            : h.type === "float32"
              ? view.getFloat32(at, false)
              : view.getFloat64(at, false);
  }
  return out;
}

/** Calls `each` with the payload's values chunk by chunk; `first` is the chunk's first index. */
function forEachChunk(
  src: ByteSource,
  h: IdxHeader,
  each: (raw: Float64Array | Uint8Array, first: number) => void,
): void {
  const count = h.n * h.width;
  const per = Math.max(1, Math.floor(src.chunkBytes / h.size));
  for (let first = 0; first < count; first += per) {
    const k = Math.min(per, count - first);
    each(decode(src.read(h.offset + first * h.size, k * h.size), h), first);
  }
}

/**
 * Parses an IDX file of examples (images or any array). uint8 values are grey levels 0..255 and
 * come back divided by 255, i.e. in [0, 1]; values of every other type are returned as stored.
 */
export function parseIdxFrom(
  src: ByteSource,
  limits: DataLimits = DATA_LIMITS,
): IdxArray {
  const h = readHeader(src, limits);
  const values = new Float32Array(h.n * h.width);
  forEachChunk(src, h, (raw, first) => {
    if (h.type === "uint8")
      for (let i = 0; i < raw.length; i++) values[first + i] = raw[i]! / 255;
    else values.set(raw, first);
  });
  return { n: h.n, width: h.width, shape: h.shape, type: h.type, values };
}

/**
 * Labels are class indices: they colour the latent plots, and a categorical view reads them as
 * one-hot classes. They are held as float32 with the other fields, so a label is an integer in
 * [0, 2^24): above 2^24 float32 skips integers, and a class index is never negative.
 */
export const LABEL_LIMIT = 2 ** 24;

/**
 * Parses an IDX label file: 1-D (or one value per example), every value a class index in
 * [0, LABEL_LIMIT), whether or not a view reads the labels; a view narrows this to its classes.
 */
export function parseIdxLabelsFrom(
  src: ByteSource,
  limits: DataLimits = DATA_LIMITS,
): IdxLabels {
  const h = readHeader(src, limits);
  if (h.width !== 1)
    throw new DataError(
      src.file,
      "header",
      `shape ${describeShape(h)}, expected one label per example (a 1-D file)`,
    );
  const values = new Int32Array(h.n);
  forEachChunk(src, h, (raw, first) => {
    for (let i = 0; i < raw.length; i++) {
      const v = raw[i]!;
      if (!Number.isInteger(v) || v < 0 || v >= LABEL_LIMIT)
        throw new DataError(
          src.file,
          { index: first + i },
          `label is ${v}, expected an integer class index in [0, ${LABEL_LIMIT})`,
        );
      values[first + i] = v;
    }
  });
  return { n: h.n, width: 1, shape: h.shape, type: h.type, values };
}

export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  return parseIdxFrom(memorySource(bytes, file));
}

export function parseIdxLabels(bytes: Uint8Array, file: string): IdxLabels {
  return parseIdxLabelsFrom(memorySource(bytes, file));
}

/** Reads and parses an IDX example file (a regular file only); `shown` is how messages name it. */
export function readIdx(
  path: string,
  shown = path,
  overrides?: Partial<DataLimits>,
): IdxArray {
  const limits = limitsOf(overrides);
  return withDataFile(path, shown, (file) =>
    parseIdxFrom(fileSource(file, limits.chunkBytes), limits),
  );
}

/** Reads and parses an IDX label file (a regular file only); `shown` is how messages name it. */
export function readIdxLabels(
  path: string,
  shown = path,
  overrides?: Partial<DataLimits>,
): IdxLabels {
  const limits = limitsOf(overrides);
  return withDataFile(path, shown, (file) =>
    parseIdxLabelsFrom(fileSource(file, limits.chunkBytes), limits),
  );
}
