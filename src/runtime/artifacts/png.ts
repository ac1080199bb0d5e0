// PNG artifacts: tiles grey images (samples, reconstructions) into grids and encodes them with pngjs.
import { PNG } from "pngjs";
import { writeAtomic } from "../io/files.js";

/** An 8-bit RGBA raster, row-major, 4 bytes per pixel, alpha 255 where drawn. */
export interface RgbaImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

export interface GridOptions {
  /** Tiles per row (default: ⌈√count⌉ for `imageGrid`, min(count, 10) for `reconstructionGrid`). */
  columns?: number;
  /** Pixels between tiles and around the border (default 2). */
  padding?: number;
  /** Grey level in [0, 1] of the padding and of empty cells (default 1: white). */
  background?: number;
}

/**
 * The [height, width] to draw a view of `width` values as, or undefined when no shape fits (the
 * caller then skips image artifacts). A `hint` whose area equals `width` wins. Otherwise a perfect
 * square s² is s×s (784 → [28, 28]) and a half of a square image, s²/2 with s even, is a top/bottom
 * half (s/2)×s (392 → [14, 28]). A left/right half (28×14) has the same width as a top/bottom half,
 * so it is drawn 14×28 unless the caller passes the hint [28, 14].
 */
export function imageShape(
  width: number,
  hint?: readonly [number, number],
): [number, number] | undefined {
  if (
    hint !== undefined &&
    hint[0] > 0 &&
    hint[1] > 0 &&
    hint[0] * hint[1] === width
  ) {
    return [hint[0], hint[1]];
  }
  if (!Number.isInteger(width) || width <= 0) return undefined;
  const side = Math.round(Math.sqrt(width));
  if (side * side === width) return [side, side];
  const full = Math.round(Math.sqrt(2 * width));
  if (full % 2 === 0 && full * full === 2 * width) return [full / 2, full];
  return undefined;
}

/** A grey value in [0, 1] (clamped; NaN is 0) as a byte. */
function greyByte(value: number): number {
  if (!(value > 0)) return 0;
  if (value >= 1) return 255;
  return Math.round(value * 255);
}

function checkShape(count: number, height: number, width: number): void {
  for (const [name, v] of [
    ["count", count],
    ["height", height],
    ["width", width],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new RangeError(`${name} must be a whole number, got ${v}`);
  }
  if (height === 0 || width === 0)
    throw new RangeError(`tile shape ${height}×${width} is empty`);
}

function checkLength(
  name: string,
  data: Float32Array,
  count: number,
  size: number,
): void {
  if (data.length < count * size) {
    throw new RangeError(
      `${name} holds ${data.length} values, fewer than ${count} images of ${size} values`,
    );
  }
}

/**
 * Draws a rows×columns grid of h×w tiles; `tileAt(row, column)` gives the offset of the tile's first
 * value in `data`, or undefined for an empty cell.
 */
function drawGrid(
  data: Float32Array,
  rows: number,
  columns: number,
  h: number,
  w: number,
  options: GridOptions,
  tileAt: (row: number, column: number) => number | undefined,
): RgbaImage {
  const padding = Math.max(0, Math.floor(options.padding ?? 2));
  const back = greyByte(options.background ?? 1);
  const width = columns * w + (columns + 1) * padding;
  const height = rows * h + (rows + 1) * padding;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[4 * i] = back;
    rgba[4 * i + 1] = back;
    rgba[4 * i + 2] = back;
    rgba[4 * i + 3] = 255;
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const start = tileAt(r, c);
      if (start === undefined) continue;
      const top = padding + r * (h + padding);
      const left = padding + c * (w + padding);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const g = greyByte(data[start + y * w + x] ?? 0);
          const p = 4 * ((top + y) * width + left + x);
          rgba[p] = g;
          rgba[p + 1] = g;
          rgba[p + 2] = g;
        }
      }
    }
  }
  return { width, height, rgba };
}

/**
 * Tiles `count` grey h×w images (row-major, one after another in `images`, values in [0, 1],
 * clamped) into a grid filled row by row; cells past `count` in the last row stay background.
 * The tile at (row r, column c) starts at pixel (x, y) = (p + c(w + p), p + r(h + p)), p = padding.
 */
export function imageGrid(
  images: Float32Array,
  count: number,
  height: number,
  width: number,
  options: GridOptions = {},
): RgbaImage {
  checkShape(count, height, width);
  checkLength("images", images, count, height * width);
  const columns = Math.max(
    1,
    Math.floor(options.columns ?? Math.ceil(Math.sqrt(count))),
  );
  const rows = Math.max(1, Math.ceil(count / columns));
  return drawGrid(images, rows, columns, height, width, options, (r, c) => {
    const i = r * columns + c;
    return i < count ? i * height * width : undefined;
  });
}

/**
 * Pairs originals with their reconstructions as rows: examples are taken `columns` at a time, and
 * each group gives a row of originals (grid rows 0, 2, 4, ...) directly above the row of their
 * reconstructions (rows 1, 3, 5, ...), so each reconstruction sits right under its original.
 */
export function reconstructionGrid(
  originals: Float32Array,
  reconstructions: Float32Array,
  count: number,
  height: number,
  width: number,
  options: GridOptions = {},
): RgbaImage {
  checkShape(count, height, width);
  const size = height * width;
  checkLength("originals", originals, count, size);
  checkLength("reconstructions", reconstructions, count, size);
  const columns = Math.max(
    1,
    Math.floor(options.columns ?? Math.min(Math.max(count, 1), 10)),
  );
  const groups = Math.max(1, Math.ceil(count / columns));
  // One buffer holding both sets, so a single offset addresses either.
  const both = new Float32Array(2 * count * size);
  both.set(originals.subarray(0, count * size), 0);
  both.set(reconstructions.subarray(0, count * size), count * size);
  return drawGrid(both, 2 * groups, columns, height, width, options, (r, c) => {
    const i = Math.floor(r / 2) * columns + c;
    if (i >= count) return undefined;
    return (r % 2 === 0 ? 0 : count * size) + i * size;
  });
}

/** The PNG file bytes of an RGBA image. */
export function encodePng(image: RgbaImage): Uint8Array {
  if (image.rgba.length !== image.width * image.height * 4) {
    throw new RangeError(
      `image of ${image.width}×${image.height} needs ${image.width * image.height * 4} bytes, got ${image.rgba.length}`,
    );
  }
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(
    image.rgba.buffer,
    image.rgba.byteOffset,
    image.rgba.byteLength,
  );
  return PNG.sync.write(png);
}

/** Writes an RGBA image as a PNG file, atomically. */
export function writePng(path: string, image: RgbaImage): void {
  writeAtomic(path, encodePng(image));
}
