// Independent float64 references for the distribution and KL tests, in plain JS loops: textbook
// densities, written apart from the program ops (other formulas where the program uses a stable
// rearrangement) so that a wrong term in either shows up. Parameters are [1|B, 1|c] arrays as the
// distributions take them: data row r reads parameter row r mod B (stacked draws: row s·B + b is
// example b), and a single column broadcasts over the event.
import type { NdArray } from "../../../src/program/interpret.js";

export const LOG_2PI = Math.log(2 * Math.PI);

type Mat = number[][];

/** Parameter entry (row, col) for data row `row`: rank 0 and 1 read as [1, 1] and [1, n]. */
export function entry(p: NdArray, row: number, col: number): number {
  const rows = p.shape.length === 2 ? p.shape[0]! : 1;
  const cols = p.shape.length === 0 ? 1 : p.shape[p.shape.length - 1]!;
  return p.data[(row % rows) * cols + (cols === 1 ? 0 : col)]!;
}

/** Parameter `p` broadcast to [rows, d], flat row-major: entry (r, j) is entry(p, r, j). */
export const broadcastRows = (p: NdArray, rows: number, d: number): number[] =>
  Array.from({ length: rows * d }, (_, i) =>
    entry(p, Math.floor(i / d), i % d),
  );

/** Row r of a [N, c] array. */
export function row(x: NdArray, r: number): number[] {
  const c = x.shape[1]!;
  return Array.from(x.data.subarray(r * c, (r + 1) * c));
}

/** One value per data row: f(row index, the row). */
const perRow = (x: NdArray, f: (r: number, xs: number[]) => number): number[] =>
  Array.from({ length: x.shape[0]! }, (_, r) => f(r, row(x, r)));

const sum = (xs: readonly number[]): number => xs.reduce((s, v) => s + v, 0);

/** log N(x; μ, σ²) of one coordinate. */
export const normalLogPdf = (x: number, mu: number, sigma: number): number =>
  -0.5 * ((x - mu) / sigma) ** 2 - Math.log(sigma) - 0.5 * LOG_2PI;

/** Diagonal Gaussian log-density Σ_d log N(x_d; μ_d, σ_d²) per row. */
export const normalLogProb = (loc: NdArray, scale: NdArray, x: NdArray) =>
  perRow(x, (r, xs) =>
    sum(
      xs.map((v, j) => normalLogPdf(v, entry(loc, r, j), entry(scale, r, j))),
    ),
  );

/** Laplace log-density Σ_d [−|x_d − μ_d|/b_d − log 2b_d] per row. */
export const laplaceLogProb = (loc: NdArray, scale: NdArray, x: NdArray) =>
  perRow(x, (r, xs) =>
    sum(
      xs.map((v, j) => {
        const b = entry(scale, r, j);
        return -Math.abs(v - entry(loc, r, j)) / b - Math.log(2 * b);
      }),
    ),
  );

/** log σ(λ), by the branch on the sign of λ whose exponential cannot overflow. */
export const logSigmoid = (l: number): number =>
  l >= 0 ? -Math.log1p(Math.exp(-l)) : l - Math.log1p(Math.exp(l));

export const sigmoid = (l: number): number => 1 / (1 + Math.exp(-l));

/** Bernoulli on logits, the textbook x log p + (1 − x) log(1 − p), p = σ(λ), grey x included. */
export const bernoulliLogProb = (logits: NdArray, x: NdArray) =>
  perRow(x, (r, xs) =>
    sum(
      xs.map((v, j) => {
        const l = entry(logits, r, j);
        return v * logSigmoid(l) + (1 - v) * logSigmoid(-l);
      }),
    ),
  );

/**
 * Continuous Bernoulli log-normaliser log C(λ), with p = σ(λ): the paper's
 * C = 2 artanh(1 − 2p)/(1 − 2p) for 10⁻² ≤ |λ| ≤ 10; beyond, p rounds towards 1 and the same
 * C = λ/tanh(λ/2) is taken in that form; below, its Taylor series log 2 + λ²/12 − 7λ⁴/1440 +
 * 31λ⁶/90720, whose next term is below 1e-20 there.
 */
export function cbLogC(l: number): number {
  const a = Math.abs(l);
  if (a < 1e-2)
    return Math.LN2 + l ** 2 / 12 - (7 * l ** 4) / 1440 + (31 * l ** 6) / 90720;
  if (a > 10) return Math.log(a) - Math.log(Math.tanh(a / 2));
  const y = 1 - 2 * sigmoid(l);
  return Math.log((2 * Math.atanh(y)) / y);
}

/**
 * Continuous Bernoulli mean E[x] = p/(2p − 1) + 1/(2 artanh(1 − 2p)) for 10⁻² ≤ |λ| ≤ 10 (the
 * two terms cancel to ~4e-12 at |λ| = 10⁻²); below, ½ + λ/12 − λ³/720 + λ⁵/30240; beyond,
 * 1/(1 − e^{−λ}) − 1/λ, which no longer cancels.
 */
export function cbMeanOf(l: number): number {
  const a = Math.abs(l);
  if (a < 1e-2) return 0.5 + l / 12 - l ** 3 / 720 + l ** 5 / 30240;
  if (a > 10) return 1 / -Math.expm1(-l) - 1 / l;
  const p = sigmoid(l);
  return p / (2 * p - 1) + 1 / (2 * Math.atanh(1 - 2 * p));
}

/** Continuous Bernoulli log-density: the Bernoulli terms plus log C(λ), per row. */
export const cbLogProb = (logits: NdArray, x: NdArray) =>
  perRow(x, (r, xs) =>
    sum(
      xs.map((v, j) => {
        const l = entry(logits, r, j);
        return v * logSigmoid(l) + (1 - v) * logSigmoid(-l) + cbLogC(l);
      }),
    ),
  );

/** log Σ exp(x_k), with the maximum taken out. */
export function logSumExp(xs: readonly number[]): number {
  const m = Math.max(...xs);
  return m + Math.log(sum(xs.map((v) => Math.exp(v - m))));
}

export const logSoftmax = (xs: readonly number[]): number[] => {
  const l = logSumExp(xs);
  return xs.map((v) => v - l);
};

/** Categorical: log softmax(logits) at the class index x (one column) per row. */
export const categoricalLogProb = (logits: NdArray, x: NdArray) =>
  perRow(x, (r, xs) => {
    const k = logits.shape[1]!;
    const l = Array.from({ length: k }, (_, j) => entry(logits, r, j));
    return logSoftmax(l)[xs[0]!]!;
  });

/** Gaussian mixture: log Σ_k π_k Π_d N(x_d; μ_kd, σ_kd²), π = softmax(logits), per row. */
export function mixtureLogProb(
  logits: NdArray,
  loc: NdArray,
  scale: NdArray,
  x: NdArray,
): number[] {
  const lw = logSoftmax(Array.from(logits.data));
  return perRow(x, (_, xs) =>
    logSumExp(
      lw.map(
        (w, k) =>
          w +
          sum(
            xs.map((v, j) =>
              normalLogPdf(v, entry(loc, k, j), entry(scale, k, j)),
            ),
          ),
      ),
    ),
  );
}

/** Mixture mean Σ_k π_k μ_k [d]. */
export function mixtureMean(
  logits: NdArray,
  loc: NdArray,
  d: number,
): number[] {
  const pi = logSoftmax(Array.from(logits.data)).map(Math.exp);
  return Array.from({ length: d }, (_, j) =>
    sum(pi.map((p, k) => p * entry(loc, k, j))),
  );
}

/** Cholesky factor L of packed row `r` of [τ (d) | strictly-lower L′ row-major]. */
export function trilOf(packed: NdArray, r: number, d: number): Mat {
  const l = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  let k = d;
  for (let i = 0; i < d; i++) {
    l[i]![i] = entry(packed, r, i);
    for (let j = 0; j < i; j++) l[i]![j] = entry(packed, r, k++);
  }
  return l;
}

/** y = L⁻¹ r by forward substitution, y_i = (r_i − Σ_{j<i} L_ij y_j)/L_ii. */
export function forwardSubstitute(l: Mat, r: readonly number[]): number[] {
  const y: number[] = [];
  r.forEach((ri, i) => {
    let s = ri;
    for (let j = 0; j < i; j++) s -= l[i]![j]! * y[j]!;
    y.push(s / l[i]![i]!);
  });
  return y;
}

/** Full-covariance Gaussian log N(x; μ, LLᵀ) = −½‖L⁻¹(x − μ)‖² − Σ log L_ii − (d/2) log 2π, per row. */
export function fullNormalLogProb(
  loc: NdArray,
  packed: NdArray,
  x: NdArray,
): number[] {
  const d = x.shape[1]!;
  return perRow(x, (r, xs) => {
    const l = trilOf(packed, r, d);
    const y = forwardSubstitute(
      l,
      xs.map((v, i) => v - entry(loc, r, i)),
    );
    const logDiag = sum(l.map((li, i) => Math.log(li[i]!)));
    return -0.5 * sum(y.map((v) => v * v)) - logDiag - 0.5 * d * LOG_2PI;
  });
}

export const matMul = (a: Mat, b: Mat): Mat =>
  a.map((ar) => b[0]!.map((_, j) => sum(ar.map((v, k) => v * b[k]![j]!))));
export const transpose = (a: Mat): Mat =>
  a[0]!.map((_, j) => a.map((r) => r[j]!));

/** Determinant and inverse by Gauss–Jordan elimination with partial pivoting. */
export function invert(a: Mat): { det: number; inverse: Mat } {
  const n = a.length;
  const m = a.map((r, i) => [...r, ...r.map((_, j) => (i === j ? 1 : 0))]);
  let det = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++)
      if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (p !== c) [m[p], m[c]] = [m[c]!, m[p]!];
    if (p !== c) det = -det;
    const piv = m[c]![c]!;
    det *= piv;
    m[c] = m[c]!.map((v) => v / piv);
    for (let r = 0; r < n; r++) {
      const f = m[r]![c]!;
      if (r !== c) m[r] = m[r]!.map((v, j) => v - f * m[c]![j]!);
    }
  }
  return { det, inverse: m.map((r) => r.slice(n)) };
}

/** The quadratic form rᵀ A r. */
const quadForm = (a: Mat, r: readonly number[]): number =>
  sum(r.map((ri, i) => ri * sum(r.map((rj, j) => a[i]![j]! * rj))));

/** log N(x; μ, Σ) with Σ's explicit inverse and determinant. */
export function mvnLogPdf(
  x: readonly number[],
  mu: readonly number[],
  cov: Mat,
): number {
  const { det, inverse } = invert(cov);
  const r = x.map((v, i) => v - mu[i]!);
  return -0.5 * (quadForm(inverse, r) + Math.log(det) + x.length * LOG_2PI);
}

/** Gaussian KL of one coordinate: log σp/σq + (σq² + (μq − μp)²)/(2σp²) − ½. */
export const klGauss1 = (
  mq: number,
  sq: number,
  mp: number,
  sp: number,
): number =>
  Math.log(sp / sq) + (sq * sq + (mq - mp) ** 2) / (2 * sp * sp) - 0.5;

/** A diagonal Gaussian's parameters: loc and scale, [1|B, 1|d]. */
type Diagonal = { loc: NdArray; scale: NdArray };

/** KL between diagonal Gaussians per example, for `batch` examples of width d. */
export const klDiagRef = (q: Diagonal, p: Diagonal, batch: number, d: number) =>
  Array.from({ length: batch }, (_, b) =>
    sum(
      Array.from({ length: d }, (_, j) =>
        klGauss1(
          entry(q.loc, b, j),
          entry(q.scale, b, j),
          entry(p.loc, b, j),
          entry(p.scale, b, j),
        ),
      ),
    ),
  );

/**
 * The general Gaussian KL ½[tr(Σp⁻¹Σq) + (μp − μq)ᵀΣp⁻¹(μp − μq) − d + log(det Σp / det Σq)]
 * with Σq = LLᵀ formed explicitly, Σp = diag σp², and inverses and determinants by elimination.
 */
export const klFullRef = (
  q: { loc: NdArray; tril: NdArray },
  p: Diagonal,
  batch: number,
  d: number,
) =>
  Array.from({ length: batch }, (_, b) => {
    const l = trilOf(q.tril, b, d);
    const covQ = matMul(l, transpose(l));
    const covP = l.map((_, i) =>
      l.map((__, j) => (i === j ? entry(p.scale, b, i) ** 2 : 0)),
    );
    const { det: detP, inverse: invP } = invert(covP);
    const tr = sum(matMul(invP, covQ).map((r, i) => r[i]!));
    const r = l.map((_, i) => entry(p.loc, b, i) - entry(q.loc, b, i));
    const logDets = Math.log(detP / invert(covQ).det);
    return 0.5 * (tr + quadForm(invP, r) - d + logDets);
  });
