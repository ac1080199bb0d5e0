// Tests of the latent artifacts: 2-D PCA against hand-computed variances, and the labelled scatter.
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { encodePng } from "../../../src/runtime/artifacts/png.js";
import {
  labelColor,
  latentScatterPng,
  pca2,
  scatterProjector,
} from "../../../src/runtime/artifacts/latent.js";
import { TAB10, getPixel } from "../../../src/runtime/artifacts/raster.js";

// An orthonormal pair spanning a plane in 5-D, and an offset: u·w = 2 − 2 + 0 + 0 + 0 = 0.
const u = [1, 2, 0, -1, 1].map((x) => x / Math.sqrt(7));
const w = [2, -1, 1, 0, 0].map((x) => x / Math.sqrt(6));
const offset = [5, -2, 1, 0, 3];

/** Points offset + a·u + b·w in 5-D, row-major. */
function inPlane(ab: Array<[number, number]>): Float32Array {
  return Float32Array.from(
    ab.flatMap(([a, b]) => offset.map((o, k) => o + a * u[k]! + b * w[k]!)),
  );
}

const dist = (x: ArrayLike<number>, i: number, j: number, d: number) => {
  let s = 0;
  for (let k = 0; k < d; k++) s += (x[i * d + k]! - x[j * d + k]!) ** 2;
  return Math.sqrt(s);
};

describe("pca2", () => {
  it("recovers a plane with variance 9 along one axis and 1 along the other", () => {
    // a = ±3 (variance 9), b = ±1 (variance 1), uncorrelated: shares 9/10 and 1/10.
    const ab: Array<[number, number]> = [
      [3, 1],
      [3, -1],
      [-3, 1],
      [-3, -1],
      [0, 0],
    ];
    // With the centre point added: variances 36/5 and 4/5, still 0.9 and 0.1 of the total.
    const points = inPlane(ab);
    const { coords, explained } = pca2(points, ab.length, 5);
    expect(explained[0]).toBeCloseTo(0.9, 6);
    expect(explained[1]).toBeCloseTo(0.1, 6);
    for (let i = 0; i < ab.length; i++) {
      expect(Math.abs(coords[2 * i]!)).toBeCloseTo(Math.abs(ab[i]![0]), 4);
      expect(Math.abs(coords[2 * i + 1]!)).toBeCloseTo(Math.abs(ab[i]![1]), 4);
      for (let j = 0; j < i; j++) {
        expect(dist(coords, i, j, 2)).toBeCloseTo(dist(points, i, j, 5), 4);
      }
    }
  });

  it("keeps in-plane distances for scattered points, deterministically", () => {
    const ab: Array<[number, number]> = Array.from({ length: 40 }, (_, i) => [
      4 * Math.sin(i * 1.7),
      1.5 * Math.cos(i * 2.3),
    ]);
    const points = inPlane(ab);
    const first = pca2(points, ab.length, 5);
    expect(first.explained[0] + first.explained[1]).toBeCloseTo(1, 6);
    expect(first.explained[0]).toBeGreaterThan(first.explained[1]);
    for (let i = 1; i < ab.length; i++) {
      expect(dist(first.coords, i, 0, 2)).toBeCloseTo(dist(points, i, 0, 5), 3);
    }
    expect(pca2(points, ab.length, 5).coords).toEqual(first.coords);
  });

  it("finds the top two axes of a 64-D cloud: uncorrelated coords, variances matching `explained`", () => {
    const [n, d] = [300, 64];
    let seed = 7;
    const rand = () =>
      ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    // Axis k has spread ∝ 1/(k+1), so the top axes are well separated.
    const points = Float32Array.from(
      { length: n * d },
      (_, i) => (rand() * 3) / ((i % d) + 1),
    );
    const { coords, explained } = pca2(points, n, d);
    const mean = [0, 1].map(
      (k) => coords.filter((_, i) => i % 2 === k).reduce((s, x) => s + x) / n,
    );
    const moment = (p: number, q: number) => {
      let s = 0;
      for (let i = 0; i < n; i++)
        s += (coords[2 * i + p]! - mean[p]!) * (coords[2 * i + q]! - mean[q]!);
      return s / n;
    };
    let trace = 0;
    for (let a = 0; a < d; a++) {
      let m = 0;
      let s = 0;
      for (let i = 0; i < n; i++) m += points[i * d + a]! / n;
      for (let i = 0; i < n; i++) s += (points[i * d + a]! - m) ** 2 / n;
      trace += s;
    }
    expect(moment(0, 0) / trace).toBeCloseTo(explained[0], 4);
    expect(moment(1, 1) / trace).toBeCloseTo(explained[1], 4);
    expect(Math.abs(moment(0, 1)) / trace).toBeLessThan(1e-5);
    // No direction carries more variance than the first axis: check the coordinate axes.
    expect(explained[0]).toBeGreaterThan(explained[1]);
    expect(explained[0]).toBeGreaterThan(0.5);
  });

  it("gives [1, 0] for points on a line, and zeros for identical points", () => {
    const line = inPlane([
      [1, 0],
      [2, 0],
      [-4, 0],
    ]);
    const { explained, coords } = pca2(line, 3, 5);
    expect(explained[0]).toBeCloseTo(1, 9);
    expect(explained[1]).toBeCloseTo(0, 9);
    expect(dist(coords, 0, 2, 2)).toBeCloseTo(5, 4);
    expect(pca2(new Float32Array(15).fill(2), 3, 5).explained).toEqual([0, 0]);
  });

  it("uses the values themselves for d = 1 and d = 2", () => {
    const one = pca2(Float32Array.of(3, -1), 2, 1);
    expect([...one.coords]).toEqual([3, 0, -1, 0]);
    expect(one.explained).toEqual([1, 0]);
    const two = pca2(Float32Array.of(1, 0, -1, 0, 0, 2, 0, -2), 4, 2);
    expect([...two.coords]).toEqual([1, 0, -1, 0, 0, 2, 0, -2]);
    expect(two.explained[0]).toBeCloseTo(0.2, 9);
  });

  it("rejects too few values", () => {
    expect(() => pca2(new Float32Array(5), 2, 3)).toThrow(RangeError);
  });
});

describe("latentScatterPng", () => {
  const coords = Float32Array.of(-2, -1, 2, 1, 2, -1, 0.5, 0.5);
  const labels = Int32Array.of(0, 1, 3, 0);

  it("draws each point in its label's colour where the projector puts it", () => {
    const size = 200;
    const image = latentScatterPng(coords, labels, { size });
    const project = scatterProjector(coords, size);
    for (let i = 0; i < 4; i++) {
      const [px, py] = project(coords[2 * i]!, coords[2 * i + 1]!).map(
        Math.round,
      );
      expect(getPixel(image, px!, py!)).toEqual(TAB10[labels[i]!]);
    }
    // x grows to the right and y grows upwards.
    const [ax, ay] = project(-2, -1);
    const [bx, by] = project(2, 1);
    expect(bx).toBeGreaterThan(ax);
    expect(by).toBeLessThan(ay);
    // Far from every point the background is white, but for the light line through x = 0.
    const [ox] = project(0, 0).map(Math.round);
    expect(getPixel(image, ox! + 40, 30)).toEqual([255, 255, 255]);
    expect(getPixel(image, ox!, 30)).toEqual([220, 220, 220]);
  });

  it("adds a legend strip with a swatch per label present", () => {
    const size = 200;
    const image = latentScatterPng(coords, labels, { size });
    expect(image.width).toBe(size);
    expect(image.height).toBeGreaterThan(size);
    const strip = new Set<string>();
    for (let y = size; y < image.height; y++) {
      for (let x = 0; x < size; x++) strip.add(getPixel(image, x, y).join(","));
    }
    expect(strip.has(TAB10[0]!.join(","))).toBe(true);
    expect(strip.has(TAB10[3]!.join(","))).toBe(true);
    expect(strip.has(TAB10[2]!.join(","))).toBe(false);
    const png = PNG.sync.read(Buffer.from(encodePng(image)));
    expect([png.width, png.height]).toEqual([image.width, image.height]);
  });

  it("draws unlabelled points in one colour with no legend, skipping non-finite points", () => {
    const image = latentScatterPng(
      Float32Array.of(0, 0, 1, 1, NaN, 3),
      undefined,
      { size: 100 },
    );
    expect([image.width, image.height]).toEqual([100, 100]);
    const project = scatterProjector(Float32Array.of(0, 0, 1, 1, NaN, 3), 100);
    const [px, py] = project(1, 1).map(Math.round);
    expect(getPixel(image, px!, py!)).toEqual(labelColor(undefined));
    expect(labelColor(-1)).not.toEqual(TAB10[0]);
    expect(labelColor(12)).toEqual(TAB10[2]);
  });
});
