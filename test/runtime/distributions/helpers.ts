// Plain-JS (float64) reference math and tensor helpers for the runtime distribution tests.
import * as tf from "@tensorflow/tfjs";
import { expect } from "vitest";

export const LOG_2PI = Math.log(2 * Math.PI);

export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
export function logSumExp(xs: number[]): number {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
}
export function logSoftmax(xs: number[]): number[] {
  const l = logSumExp(xs);
  return xs.map((x) => x - l);
}
/** log N(x; μ, σ²) of one coordinate. */
export function normalLogPdf(x: number, mu: number, sigma: number): number {
  return -0.5 * ((x - mu) / sigma) ** 2 - Math.log(sigma) - 0.5 * LOG_2PI;
}

export type Mat = number[][];
export function matMul(a: Mat, b: Mat): Mat {
  return a.map((row) =>
    b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)),
  );
}
export function transpose(a: Mat): Mat {
  return a[0]!.map((_, j) => a.map((row) => row[j]!));
}
/** Determinant by cofactor expansion (small matrices only). */
export function det(a: Mat): number {
  const n = a.length;
  if (n === 1) return a[0]![0]!;
  let s = 0;
  for (let j = 0; j < n; j++) {
    const minor = a.slice(1).map((row) => row.filter((_, k) => k !== j));
    s += (j % 2 === 0 ? 1 : -1) * a[0]![j]! * det(minor);
  }
  return s;
}
/** Inverse by the adjugate (small matrices only). */
export function inverse(a: Mat): Mat {
  const n = a.length;
  const d = det(a);
  if (n === 1) return [[1 / d]];
  return a.map((_, i) =>
    a.map((__, j) => {
      const minor = a
        .filter((_r, r) => r !== j)
        .map((row) => row.filter((_c, c) => c !== i));
      return (((i + j) % 2 === 0 ? 1 : -1) * det(minor)) / d;
    }),
  );
}
/** log N(x; μ, Σ) with an explicit inverse and determinant. */
export function mvnLogPdf(x: number[], mu: number[], cov: Mat): number {
  const r = x.map((v, i) => v - mu[i]!);
  const inv = inverse(cov);
  const quad = r.reduce(
    (s, ri, i) => s + ri * r.reduce((t, rj, j) => t + inv[i]![j]! * rj, 0),
    0,
  );
  return -0.5 * (quad + Math.log(det(cov)) + x.length * LOG_2PI);
}

/** L from the RAW full_normal layout [log τ (d) | strictly-lower packed row-major]. */
export function trilFromRaw(raw: number[], d: number): Mat {
  const l: Mat = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  let k = d;
  for (let i = 0; i < d; i++) {
    l[i]![i] = Math.exp(raw[i]!);
    for (let j = 0; j < i; j++) l[i]![j] = raw[k++]!;
  }
  return l;
}

/** |actual − expected| ≤ abs + rel·|expected|, elementwise, with a readable failure. */
export function expectClose(
  actual: number[] | number,
  expected: number[] | number,
  tol: { abs?: number; rel?: number },
  what = "",
): void {
  const a = Array.isArray(actual) ? actual : [actual];
  const e = Array.isArray(expected) ? expected : [expected];
  expect(a.length, `${what} length`).toBe(e.length);
  a.forEach((v, i) => {
    const bound = (tol.abs ?? 0) + (tol.rel ?? 0) * Math.abs(e[i]!);
    const ok = Number.isFinite(v) && Math.abs(v - e[i]!) <= bound;
    expect(ok, `${what}[${i}]: got ${v}, expected ${e[i]} ± ${bound}`).toBe(
      true,
    );
  });
}

export function arr1(t: tf.Tensor): number[] {
  const v = t.arraySync();
  t.dispose();
  return v as number[];
}
export function arr2(t: tf.Tensor): number[][] {
  const v = t.arraySync();
  t.dispose();
  return v as number[][];
}

/** Mean and standard error of each column of rows [S][B]. */
export function meanAndSe(
  values: Float32Array | number[],
  samples: number,
  batch: number,
): { mean: number[]; se: number[] } {
  const mean = new Array<number>(batch).fill(0);
  const sq = new Array<number>(batch).fill(0);
  for (let s = 0; s < samples; s++) {
    for (let b = 0; b < batch; b++) {
      const v = values[s * batch + b]!;
      mean[b]! += v;
      sq[b]! += v * v;
    }
  }
  const m = mean.map((v) => v / samples);
  const se = sq.map((v, b) =>
    Math.sqrt(Math.max(v / samples - m[b]! ** 2, 0) / samples),
  );
  return { mean: m, se };
}
