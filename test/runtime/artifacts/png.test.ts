// Tests of the PNG grid artifacts: tiling, padding, clamping, reconstruction pairs and encoding.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import {
  encodePng,
  imageGrid,
  imageShape,
  reconstructionGrid,
  writePng,
  type RgbaImage,
} from "../../../src/runtime/artifacts/png.js";

function decode(bytes: Uint8Array): PNG {
  return PNG.sync.read(Buffer.from(bytes));
}

function grey(
  png: { width: number; data: Uint8Array },
  x: number,
  y: number,
): number[] {
  const p = 4 * (y * png.width + x);
  return [...png.data.subarray(p, p + 4)];
}

/** Image k, pixel j holds a distinct grey so every tile position can be checked. */
function distinctImages(count: number, size: number): Float32Array {
  return Float32Array.from({ length: count * size }, (_, i) => (i % 251) / 250);
}

const byte = (v: number) => Math.round(Math.fround(v) * 255);

describe("imageGrid", () => {
  it("places every pixel of every tile where the layout says, with white padding", () => {
    const [count, h, w, padding, columns] = [3, 2, 3, 1, 2];
    const images = distinctImages(count, h * w);
    const png = decode(
      encodePng(imageGrid(images, count, h, w, { columns, padding })),
    );
    expect([png.width, png.height]).toEqual([
      2 * w + 3 * padding,
      2 * h + 3 * padding,
    ]);
    for (let k = 0; k < count; k++) {
      const [r, c] = [Math.floor(k / columns), k % columns];
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const g = byte(images[k * h * w + y * w + x]!);
          const px = padding + c * (w + padding) + x;
          const py = padding + r * (h + padding) + y;
          expect(grey(png, px, py)).toEqual([g, g, g, 255]);
        }
      }
    }
    expect(grey(png, 0, 0)).toEqual([255, 255, 255, 255]);
    // The fourth cell (row 1, column 1) is empty: background.
    expect(grey(png, padding + (w + padding), padding + (h + padding))).toEqual(
      [255, 255, 255, 255],
    );
  });

  it("handles a count not divisible by the columns (5 images, default 3 columns)", () => {
    const images = new Float32Array(5 * 4).fill(0.5);
    const image = imageGrid(images, 5, 2, 2, { padding: 2 });
    expect([image.width, image.height]).toEqual([3 * 2 + 4 * 2, 2 * 2 + 3 * 2]);
    const png = decode(encodePng(image));
    // Image 4 is row 1, column 1; cell row 1, column 2 is empty.
    expect(grey(png, 2 + 4, 2 + 4)).toEqual([128, 128, 128, 255]);
    expect(grey(png, 2 + 8, 2 + 4)).toEqual([255, 255, 255, 255]);
  });

  it("clamps values outside [0, 1] and draws NaN as black", () => {
    const image = imageGrid(Float32Array.of(-0.5, 1.7, NaN, 0.2), 1, 2, 2, {
      padding: 0,
    });
    expect([image.width, image.height]).toEqual([2, 2]);
    expect([...image.rgba].filter((_, i) => i % 4 === 0)).toEqual([
      0,
      255,
      0,
      byte(0.2),
    ]);
  });

  it("rejects too few values for the images", () => {
    expect(() => imageGrid(new Float32Array(7), 2, 2, 2)).toThrow(RangeError);
  });
});

describe("reconstructionGrid", () => {
  it("puts each original directly above its reconstruction, groups of `columns`", () => {
    const [count, h, w, padding] = [3, 1, 1, 1];
    const originals = Float32Array.of(0.1, 0.2, 0.3);
    const recons = Float32Array.of(0.6, 0.7, 0.8);
    const image = reconstructionGrid(originals, recons, count, h, w, {
      columns: 2,
      padding,
    });
    expect([image.width, image.height]).toEqual([2 + 3, 4 + 5]);
    const png = decode(encodePng(image));
    const at = (r: number, c: number) =>
      grey(png, padding + c * 2, padding + r * 2)[0];
    expect([at(0, 0), at(0, 1), at(1, 0), at(1, 1)]).toEqual(
      [0.1, 0.2, 0.6, 0.7].map(byte),
    );
    expect([at(2, 0), at(2, 1), at(3, 0), at(3, 1)]).toEqual([
      byte(0.3),
      255,
      byte(0.8),
      255,
    ]);
  });
});

describe("imageShape", () => {
  it("knows squares, top/bottom halves and honours a matching hint", () => {
    expect(imageShape(784)).toEqual([28, 28]);
    expect(imageShape(392)).toEqual([14, 28]);
    expect(imageShape(392, [28, 14])).toEqual([28, 14]);
    expect(imageShape(392, [20, 20])).toEqual([14, 28]);
    expect(imageShape(100)).toEqual([10, 10]);
    expect(imageShape(10)).toBeUndefined();
    expect(imageShape(0)).toBeUndefined();
    expect(imageShape(2.5)).toBeUndefined();
  });
});

describe("writePng", () => {
  it("writes a file that decodes to the same pixels", () => {
    const dir = mkdtempSync(join(tmpdir(), "vaec-png-"));
    const image: RgbaImage = imageGrid(distinctImages(4, 9), 4, 3, 3);
    const path = join(dir, "grid.png");
    writePng(path, image);
    const png = decode(readFileSync(path));
    expect([png.width, png.height]).toEqual([image.width, image.height]);
    expect(Buffer.compare(png.data, Buffer.from(image.rgba))).toBe(0);
  });

  it("refuses an RGBA buffer of the wrong size", () => {
    expect(() =>
      encodePng({ width: 2, height: 2, rgba: new Uint8Array(15) }),
    ).toThrow(RangeError);
  });
});
