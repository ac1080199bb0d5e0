// KL(q ‖ p) registry keyed by family pair (after torch.distributions.kl), plus the Monte Carlo
// estimate for pairs without a closed form. Every KL is per example [B], B = the larger batch.
import type { Sym } from "./builder.js";
import type { Distribution, NoiseSpec } from "./distributions/index.js";
import { DiagGaussian, FullGaussian } from "./distributions/index.js";
import { alignRows, full } from "./distributions/util.js";

/** KL(q ‖ p) per example [B], in closed form. */
export type KlFn = (q: Distribution, p: Distribution) => Sym;
export type KlMethod = "analytic" | "mc";

const table = new Map<string, Map<string, KlFn>>();

/** Registers a closed form for KL(q ‖ p); a pair registered twice is an error. */
export function registerKl(qFamily: string, pFamily: string, fn: KlFn): void {
  let row = table.get(qFamily);
  if (row === undefined) {
    row = new Map();
    table.set(qFamily, row);
  }
  if (row.has(pFamily))
    throw new Error(
      `a closed-form KL for KL(${qFamily} ‖ ${pFamily}) is already registered`,
    );
  row.set(pFamily, fn);
}

/** Every registered (q, p) family pair. */
export function registeredKlPairs(): [string, string][] {
  return [...table].flatMap(([q, row]) =>
    [...row.keys()].map((p): [string, string] => [q, p]),
  );
}

/** KL(q ‖ p) per example [B] in closed form; an unregistered pair is an error. */
export function klAnalytic(q: Distribution, p: Distribution): Sym {
  const fn = table.get(q.family)?.get(p.family);
  if (fn === undefined)
    throw new Error(
      `no closed-form KL for KL(q ‖ p) with q = '${q.family}' and p = '${p.family}' (use kl: mc)`,
    );
  return fn(q, p);
}

function checkSamples(samples: number): void {
  if (!Number.isInteger(samples) || samples < 1)
    throw new Error(
      `Monte Carlo KL needs a positive whole number of samples, got ${samples}`,
    );
}

/**
 * Monte Carlo KL per example [B]: the mean over S stacked draws z_s ~ q (row s·B + b) of
 * log q(z_s) − log p(z_s), an unbiased estimate of E_q[log q − log p]. Differentiable through
 * q's reparameterized draw (the reparameterization trick), which it therefore requires.
 */
export function klMonteCarlo(
  q: Distribution,
  p: Distribution,
  samples: number,
  noise: readonly Sym[],
): Sym {
  checkSamples(samples);
  if (q.rsample === undefined)
    throw new Error(
      `Monte Carlo KL needs a reparameterized draw from q, and '${q.family}' has none`,
    );
  if (p.batch !== 1 && p.batch !== q.batch)
    throw new Error(
      `Monte Carlo KL: q '${q.family}' has batch ${q.batch}, p '${p.family}' batch ${p.batch}`,
    );
  const z = q.rsample(noise);
  if (z.shape[0] !== samples * q.batch)
    throw new Error(
      `Monte Carlo KL: ${samples} draws of batch ${q.batch} need ${samples * q.batch} rows of noise, got ${z.shape[0]}`,
    );
  const diff = q.logProb(z).sub(p.logProb(z));
  return diff.reshape([samples, q.batch]).mean(0);
}

/** The noise the KL estimate reads: none for a closed form, S stacked draws of q for `mc`. */
export function klNoise(
  q: Distribution,
  method: KlMethod,
  samples: number,
): NoiseSpec[] {
  if (method === "analytic") return [];
  checkSamples(samples);
  return q.noise(samples * q.batch);
}

/** KL(q ‖ p) per example [B] by the IR's method; `noise` is what `klNoise` asked for. */
export function kl(
  q: Distribution,
  p: Distribution,
  method: KlMethod,
  samples: number,
  noise: readonly Sym[],
): Sym {
  if (method === "analytic") return klAnalytic(q, p);
  return klMonteCarlo(q, p, samples, noise);
}

function expect<T>(
  d: Distribution,
  cls: new (...a: never[]) => T,
  role: string,
): T {
  if (!(d instanceof cls))
    throw new Error(
      `closed-form KL: ${role} '${d.family}' is not the built-in implementation`,
    );
  return d;
}

/**
 * Gaussian KL per dimension between univariate Gaussians N(μq, σq²) and N(μp, σp²):
 * log σp − log σq + (σq² + (μq − μp)²)/(2σp²) − ½, broadcasting [1|B, 1|d] operands. The diagonal
 * closed form sums it; evaluation reports it per dimension for any pair of Gaussian marginals.
 */
export function gaussianKlPerDim(
  q: { loc: Sym; scale: Sym },
  p: { loc: Sym; scale: Sym },
): Sym {
  const mahal = q.scale
    .square()
    .add(q.loc.sub(p.loc).square())
    .div(p.scale.square().mul(2));
  return p.scale.log().sub(q.scale.log()).add(mahal).sub(0.5);
}

/**
 * Gaussian KL between diagonal Gaussians: Σ_d [log σp − log σq + (σq² + (μq − μp)²)/(2σp²) − ½].
 * Either side may have batch 1 (a standard or learnable prior).
 */
export const klDiagNormal: KlFn = (qd, pd) => {
  const q = expect(qd, DiagGaussian, "q");
  const p = expect(pd, DiagGaussian, "p");
  const batch = Math.max(q.batch, p.batch);
  return full(gaussianKlPerDim(q, p), batch, q.width).sum(1);
};

/**
 * Gaussian KL of a Cholesky posterior N(μ, LLᵀ) from a diagonal Gaussian N(μp, diag σp²):
 * ½[tr(Σp⁻¹Σ) + (μ−μp)ᵀΣp⁻¹(μ−μp) − d + log det Σp − log det Σ], where the trace needs only
 * the row norms of L, tr = Σ_i (Σ_j L_ij²)/σp_i², and log det Σ = 2 Σ log diag L.
 */
export const klFullNormalDiag: KlFn = (qd, pd) => {
  const q = expect(qd, FullGaussian, "q");
  const p = expect(pd, DiagGaussian, "p");
  const d = q.width;
  const batch = Math.max(q.batch, p.batch);
  const flat = q.scaleTrilFlat();
  const rowSq = flat.reshape([flat.shape[0]!, d, d]).square().sum(2); // [1|B, d]
  const vp = p.scale.square();
  const perDim = rowSq
    .add(q.loc.sub(p.loc).square())
    .div(vp)
    .add(p.scale.log().mul(2));
  const total = full(perDim, batch, d).sum(1);
  const logDet = alignRows(q.logDetCov(), batch);
  return total.sub(d).sub(logDet).mul(0.5);
};

registerKl("normal", "normal", klDiagNormal);
registerKl("diag_normal", "normal", klDiagNormal);
registerKl("full_normal", "normal", klFullNormalDiag);
