// Minimal RGBA drawing for PNG artifacts: filled rectangles, discs and a 3×5 pixel font for numbers.
import type { RgbaImage } from "./png.js";

export type Rgb = readonly [number, number, number];

/** The tab10 categorical palette (matplotlib's default colour cycle). */
export const TAB10: readonly Rgb[] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [140, 86, 75],
  [227, 119, 194],
  [127, 127, 127],
  [188, 189, 34],
  [23, 190, 207],
];

/** A blank image filled with one colour. */
export function blankImage(
  width: number,
  height: number,
  color: Rgb,
): RgbaImage {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[4 * i] = color[0];
    rgba[4 * i + 1] = color[1];
    rgba[4 * i + 2] = color[2];
    rgba[4 * i + 3] = 255;
  }
  return { width, height, rgba };
}

/** Sets one pixel; coordinates outside the image are ignored. */
export function setPixel(
  image: RgbaImage,
  x: number,
  y: number,
  color: Rgb,
): void {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
  const p = 4 * (y * image.width + x);
  image.rgba[p] = color[0];
  image.rgba[p + 1] = color[1];
  image.rgba[p + 2] = color[2];
  image.rgba[p + 3] = 255;
}

/** The colour at a pixel. */
export function getPixel(image: RgbaImage, x: number, y: number): Rgb {
  const p = 4 * (y * image.width + x);
  return [image.rgba[p] ?? 0, image.rgba[p + 1] ?? 0, image.rgba[p + 2] ?? 0];
}

/** Fills the rectangle with top-left (x, y), clipped to the image. */
export function fillRect(
  image: RgbaImage,
  x: number,
  y: number,
  width: number,
  height: number,
  color: Rgb,
): void {
  for (let j = Math.max(0, y); j < Math.min(image.height, y + height); j++) {
    for (let i = Math.max(0, x); i < Math.min(image.width, x + width); i++) {
      setPixel(image, i, j, color);
    }
  }
}

/** Fills a disc centred on (cx, cy) (pixel centres within `radius`), clipped to the image. */
export function fillDisc(
  image: RgbaImage,
  cx: number,
  cy: number,
  radius: number,
  color: Rgb,
): void {
  const r2 = radius * radius;
  for (let y = Math.floor(cy - radius); y <= Math.ceil(cy + radius); y++) {
    for (let x = Math.floor(cx - radius); x <= Math.ceil(cx + radius); x++) {
      const dx = x - cx;
      const dy = y - cy;
      if (dx * dx + dy * dy <= r2) setPixel(image, x, y, color);
    }
  }
}

// Glyphs 3 wide and 5 tall, rows top to bottom.
const GLYPHS: Record<string, string> = {
  "0": "111101101101111",
  "1": "010110010010111",
  "2": "111001111100111",
  "3": "111001111001111",
  "4": "101101111001001",
  "5": "111100111001111",
  "6": "111100111101111",
  "7": "111001001001001",
  "8": "111101111101111",
  "9": "111101111001111",
  ".": "000000000000010",
  "-": "000000111000000",
};

/** Width in pixels of `text` drawn by `drawText` at `scale`. */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * 4 - 1) * scale;
}

/** Draws digits and minus signs with top-left (x, y); other characters leave a blank. */
export function drawText(
  image: RgbaImage,
  text: string,
  x: number,
  y: number,
  scale: number,
  color: Rgb,
): void {
  [...text].forEach((ch, k) => {
    const glyph = GLYPHS[ch];
    if (glyph === undefined) return;
    for (let row = 0; row < 5; row++) {
      for (let col = 0; col < 3; col++) {
        if (glyph[row * 3 + col] === "1") {
          fillRect(
            image,
            x + (k * 4 + col) * scale,
            y + row * scale,
            scale,
            scale,
            color,
          );
        }
      }
    }
  });
}
