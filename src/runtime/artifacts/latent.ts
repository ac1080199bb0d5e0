// Latent-space artifacts: a deterministic 2-D PCA of latent codes and a PNG scatter coloured by label.
import type { RgbaImage } from "./png.js";
import {
  TAB10,
  blankImage,
  drawText,
  fillDisc,
  fillRect,
  textWidth,
  type Rgb,
} from "./raster.js";

export interface Pca2 {
  /** n×2 row-major: each point's coordinates along the first two principal axes. */
  coords: Float32Array;
  /** Each axis's share of the total variance (0 when the points do not vary). */
  explained: [number, number];
}

/**
 * Projects n points of dimension d (row-major) onto their top two principal axes. The covariance
 * (d×d) is diagonalised by orthogonal iteration on two vectors with a Rayleigh–Ritz step, from a
 * fixed start, so results are deterministic; each axis's sign makes its largest component positive.
 * For d ≤ 2 the coordinates are the values themselves (padded with zeros for d = 1), unrotated, and
 * `explained` is each coordinate's share of the variance.
 */
export function pca2(points: Float32Array, n: number, d: number): Pca2 {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 0 || d < 0) {
    throw new RangeError(`pca2 needs whole n and d, got n=${n}, d=${d}`);
  }
  if (points.length < n * d) {
    throw new RangeError(
      `pca2: ${points.length} values are fewer than ${n}×${d}`,
    );
  }
  const coords = new Float32Array(n * 2);
  if (n === 0 || d === 0) return { coords, explained: [0, 0] };
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++) mean[a]! += points[i * d + a]!;
  for (let a = 0; a < d; a++) mean[a]! /= n;
  const centred = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) centred[i] = points[i]! - mean[i % d]!;

  if (d <= 2) {
    const variance = [0, 0];
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) {
        coords[i * 2 + a] = points[i * d + a]!;
        variance[a]! += centred[i * d + a]! ** 2;
      }
    }
    const total = variance[0]! + variance[1]!;
    return {
      coords,
      explained:
        total > 0 ? [variance[0]! / total, variance[1]! / total] : [0, 0],
    };
  }

  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let a = 0; a < d; a++) {
      const xa = centred[row + a]!;
      if (xa === 0) continue;
      const base = a * d;
      for (let b = a; b < d; b++) cov[base + b]! += xa * centred[row + b]!;
    }
  }
  let trace = 0;
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b]! / n;
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
    trace += cov[a * d + a]!;
  }
  if (!(trace > 0)) return { coords, explained: [0, 0] };

  const { vectors, values } = top2Eigen(cov, d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 2; k++) {
      const v = vectors[k]!;
      let s = 0;
      for (let a = 0; a < d; a++) s += centred[i * d + a]! * v[a]!;
      coords[i * 2 + k] = s;
    }
  }
  const share = (x: number) => Math.min(1, Math.max(0, x / trace));
  return { coords, explained: [share(values[0]), share(values[1])] };
}

function matVec(m: Float64Array, d: number, v: Float64Array): Float64Array {
  const out = new Float64Array(d);
  for (let a = 0; a < d; a++) {
    let s = 0;
    const base = a * d;
    for (let b = 0; b < d; b++) s += m[base + b]! * v[b]!;
    out[a] = s;
  }
  return out;
}

function dot(u: Float64Array, v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i]! * v[i]!;
  return s;
}

/** Gram–Schmidt on two vectors; a vanished vector is replaced by a basis vector kept orthogonal. */
function orthonormalize(vs: [Float64Array, Float64Array], d: number): void {
  for (let k = 0; k < 2; k++) {
    const v = vs[k]!;
    const scale = Math.sqrt(dot(v, v));
    for (let j = 0; j < k; j++) {
      const p = dot(vs[j]!, v);
      for (let a = 0; a < d; a++) v[a]! -= p * vs[j]![a]!;
    }
    let norm = Math.sqrt(dot(v, v));
    if (!(norm > 0 && norm > 1e-10 * scale)) {
      // Pick the axis least covered by the earlier vectors and orthogonalise it instead.
      let best = 0;
      let bestCover = Infinity;
      for (let a = 0; a < d; a++) {
        const cover = k === 0 ? 0 : Math.abs(vs[0]![a]!);
        if (cover < bestCover) [best, bestCover] = [a, cover];
      }
      v.fill(0);
      v[best] = 1;
      for (let j = 0; j < k; j++) {
        const p = dot(vs[j]!, v);
        for (let a = 0; a < d; a++) v[a]! -= p * vs[j]![a]!;
      }
      norm = Math.sqrt(dot(v, v));
    }
    for (let a = 0; a < d; a++) v[a]! /= norm;
  }
}

/** The two largest eigenpairs of a symmetric d×d matrix (d ≥ 2), largest first. */
function top2Eigen(
  m: Float64Array,
  d: number,
): { vectors: [Float64Array, Float64Array]; values: [number, number] } {
  // A fixed pseudo-random start (an LCG), unlikely to be orthogonal to any eigenvector.
  let seed = 12345;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32 - 0.5;
  };
  const v: [Float64Array, Float64Array] = [
    new Float64Array(d),
    new Float64Array(d),
  ];
  for (let a = 0; a < d; a++) [v[0][a], v[1][a]] = [next(), next()];
  orthonormalize(v, d);
  let values: [number, number] = [0, 0];
  for (let iter = 0; iter < 1000; iter++) {
    const w: [Float64Array, Float64Array] = [
      matVec(m, d, v[0]),
      matVec(m, d, v[1]),
    ];
    // Rayleigh–Ritz: diagonalise the 2×2 projection and rotate both pairs to its eigenbasis.
    const h11 = dot(v[0], w[0]);
    const h12 = dot(v[0], w[1]);
    const h22 = dot(v[1], w[1]);
    const phi = 0.5 * Math.atan2(2 * h12, h11 - h22);
    const c = Math.cos(phi);
    const s = Math.sin(phi);
    for (const pair of [v, w]) {
      for (let a = 0; a < d; a++) {
        const x = pair[0][a]!;
        const y = pair[1][a]!;
        pair[0][a] = c * x + s * y;
        pair[1][a] = -s * x + c * y;
      }
    }
    values = [
      c * c * h11 + 2 * c * s * h12 + s * s * h22,
      s * s * h11 - 2 * c * s * h12 + c * c * h22,
    ];
    let residual = 0;
    for (let k = 0; k < 2; k++) {
      let r = 0;
      for (let a = 0; a < d; a++)
        r += (w[k]![a]! - values[k]! * v[k]![a]!) ** 2;
      residual = Math.max(residual, Math.sqrt(r));
    }
    if (residual <= 1e-11 * Math.max(Math.abs(values[0]), Number.MIN_VALUE))
      break;
    v[0].set(w[0]);
    v[1].set(w[1]);
    orthonormalize(v, d);
  }
  for (const vec of v) {
    let big = 0;
    for (let a = 1; a < d; a++)
      if (Math.abs(vec[a]!) > Math.abs(vec[big]!) + 1e-12) big = a;
    if (vec[big]! < 0) for (let a = 0; a < d; a++) vec[a] = -vec[a]!;
  }
  return { vectors: v, values };
}

/** The colour a label is drawn in: tab10 by label mod 10; negative labels (unlabelled) dark grey. */
export function labelColor(label: number | undefined): Rgb {
  if (label === undefined) return TAB10[0]!;
  if (label < 0) return [64, 64, 64];
  return TAB10[label % 10]!;
}

/** The plot margin in pixels of a scatter of side `size`. */
function marginOf(size: number): number {
  return Math.max(4, Math.round(size * 0.05));
}

/**
 * The pixel position (fractional) of a data point in a `latentScatterPng` of the same `coords` and
 * `size`: both axes share one scale (distances are kept), the points' bounding box centred.
 */
export function scatterProjector(
  coords: Float32Array,
  size: number,
): (x: number, y: number) => [number, number] {
  let [xMin, xMax, yMin, yMax] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i + 1 < coords.length; i += 2) {
    const x = coords[i]!;
    const y = coords[i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    [xMin, xMax] = [Math.min(xMin, x), Math.max(xMax, x)];
    [yMin, yMax] = [Math.min(yMin, y), Math.max(yMax, y)];
  }
  if (xMin > xMax) [xMin, xMax, yMin, yMax] = [-1, 1, -1, 1];
  const range = Math.max(xMax - xMin, yMax - yMin);
  const scale = (size - 1 - 2 * marginOf(size)) / (range > 0 ? range : 2);
  const cx = (xMin + xMax) / 2;
  const cy = (yMin + yMax) / 2;
  const mid = (size - 1) / 2;
  return (x, y) => [mid + (x - cx) * scale, mid - (y - cy) * scale];
}

/**
 * A square scatter (side `size`, default 480) of n = coords.length / 2 points as small discs on
 * white, coloured by `labelColor`, with light lines through the origin. With labels, a strip under
 * the plot shows a swatch and the number of each label present, in increasing order (as many as
 * fit). Points with non-finite coordinates are skipped; later points are drawn over earlier ones.
 */
export function latentScatterPng(
  coords: Float32Array,
  labels: Int32Array | undefined,
  options: { size?: number } = {},
): RgbaImage {
  const size = Math.max(32, Math.floor(options.size ?? 480));
  const n = Math.floor(coords.length / 2);
  if (labels !== undefined && labels.length < n) {
    throw new RangeError(
      `latentScatterPng: ${labels.length} labels for ${n} points`,
    );
  }
  const scale = Math.max(1, Math.round(size / 240));
  const present =
    labels === undefined
      ? []
      : [...new Set(labels.subarray(0, n))].sort((a, b) => a - b);
  const strip = present.length > 0 ? 5 * scale + 12 * scale : 0;
  const image = blankImage(size, size + strip, [255, 255, 255]);
  const project = scatterProjector(coords, size);
  const margin = marginOf(size);
  const guide: Rgb = [220, 220, 220];
  const [ox, oy] = project(0, 0).map(Math.round) as [number, number];
  if (ox >= margin && ox < size - margin)
    fillRect(image, ox, margin, 1, size - 2 * margin, guide);
  if (oy >= margin && oy < size - margin)
    fillRect(image, margin, oy, size - 2 * margin, 1, guide);
  const radius = Math.max(1.5, size / 240);
  for (let i = 0; i < n; i++) {
    const x = coords[2 * i]!;
    const y = coords[2 * i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const [px, py] = project(x, y);
    fillDisc(image, px, py, radius, labelColor(labels?.[i]));
  }
  let x = margin;
  const top = size + 6 * scale;
  for (const label of present) {
    const text = String(label);
    const need = 5 * scale + 2 * scale + textWidth(text, scale) + 6 * scale;
    if (x + need > size) break;
    fillRect(image, x, top, 5 * scale, 5 * scale, labelColor(label));
    drawText(image, text, x + 7 * scale, top, scale, [0, 0, 0]);
    x += need;
  }
  return image;
}
