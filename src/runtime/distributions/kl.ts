// KL(q ‖ p) registry keyed by family pair (after torch.distributions.kl / TFP), plus a Monte Carlo fallback.
import * as tf from "@tensorflow/tfjs";
import type { Distribution, KlFn } from "./types.js";
import { Categorical } from "./categorical.js";
import { FullGaussian } from "./full-normal.js";
import { DiagGaussian } from "./normal.js";
import { alignRows, full, isBatched } from "./util.js";

const table = new Map<string, Map<string, KlFn>>();

/** Registers a closed form for KL(q ‖ p); a pair registered twice is an error. */
export function registerKl(qFamily: string, pFamily: string, fn: KlFn): void {
  let row = table.get(qFamily);
  if (row === undefined) {
    row = new Map();
    table.set(qFamily, row);
  }
  if (row.has(pFamily)) {
    throw new Error(
      `a closed-form KL for KL(${qFamily} ‖ ${pFamily}) is already registered`,
    );
  }
  row.set(pFamily, fn);
}

export function hasClosedFormKl(qFamily: string, pFamily: string): boolean {
  return table.get(qFamily)?.has(pFamily) ?? false;
}

/** Every registered (q, p) family pair. */
export function registeredKlPairs(): [string, string][] {
  return [...table].flatMap(([q, row]) =>
    [...row.keys()].map((p): [string, string] => [q, p]),
  );
}

/** KL(q ‖ p) per example [B] in closed form; an unregistered pair is an error. */
export function klAnalytic(q: Distribution, p: Distribution): tf.Tensor1D {
  const fn = table.get(q.family)?.get(p.family);
  if (fn === undefined) {
    throw new Error(
      `no closed-form KL for KL(q ‖ p) with q = '${q.family}' and p = '${p.family}' (use kl: mc)`,
    );
  }
  return fn(q, p);
}

/**
 * Monte Carlo KL per example [B]: the mean over S seeded draws z ~ q of log q(z) − log p(z)
 * (Pyro's Trace_ELBO fallback when no closed form exists). Differentiable through q's
 * reparameterized sample. Built-in distributions draw all S·B rows at once.
 */
export function klMonteCarlo(
  q: Distribution,
  p: Distribution,
  samples: number,
  seed: number,
): tf.Tensor1D {
  if (!Number.isInteger(samples) || samples < 1) {
    throw new Error(
      `Monte Carlo KL needs a positive whole number of samples, got ${samples}`,
    );
  }
  if (isBatched(q)) {
    const batch = Math.max(q.batch, isBatched(p) ? p.batch : 1);
    const z = q.rsample(seed, samples * batch);
    const diff = tf.sub(q.logProb(z), p.logProb(z));
    return tf.mean(tf.reshape(diff, [samples, batch]), 0) as tf.Tensor1D;
  }
  let total: tf.Tensor1D | null = null;
  for (let s = 0; s < samples; s++) {
    const z = q.rsample(seed + s);
    const d = tf.sub(q.logProb(z), p.logProb(z)) as tf.Tensor1D;
    total = total === null ? d : (tf.add(total, d) as tf.Tensor1D);
  }
  return tf.div(total!, samples);
}

export type KlMethod = "analytic" | "mc" | "auto";

/** KL(q ‖ p) per example [B] by the IR's method (`auto`: closed form when registered). */
export function kl(
  q: Distribution,
  p: Distribution,
  method: KlMethod,
  samples = 1,
  seed = 0,
): tf.Tensor1D {
  if (method === "analytic") return klAnalytic(q, p);
  if (method === "auto" && hasClosedFormKl(q.family, p.family)) {
    return klAnalytic(q, p);
  }
  return klMonteCarlo(q, p, samples, seed);
}

function expect<T>(
  d: Distribution,
  cls: new (...a: never[]) => T,
  role: string,
): T {
  if (!(d instanceof cls)) {
    throw new Error(
      `closed-form KL: ${role} '${d.family}' is not the built-in implementation`,
    );
  }
  return d;
}

/**
 * Diagonal Gaussians (seed 000): Σ_d [log σp − log σq + (σq² + (μq − μp)²)/(2σp²) − ½].
 * Either side may have batch 1 (a standard or learnable prior).
 */
export const klDiagNormal: KlFn = (qd, pd) => {
  const q = expect(qd, DiagGaussian, "q");
  const p = expect(pd, DiagGaussian, "p");
  const batch = Math.max(q.batch, p.batch);
  const vq = tf.square(q.scale);
  const vp = tf.square(p.scale);
  const term = tf.sub(
    tf.add(
      tf.sub(tf.log(p.scale), tf.log(q.scale)),
      tf.div(tf.add(vq, tf.square(tf.sub(q.loc, p.loc))), tf.mul(2, vp)),
    ),
    0.5,
  );
  return tf.sum(full(term as tf.Tensor2D, batch, q.width), 1);
};

/**
 * Cholesky posterior ‖ diagonal Gaussian (seed 001: tr needs only row norms of L, log det Σq =
 * 2 Σ log diag L): ½[Σ_i (Σ_j L_ij²)/σp_i² + Σ((μ−μp)/σp)² − d + 2Σ log σp − 2Σ log diag L].
 */
export const klFullNormalDiag: KlFn = (qd, pd) => {
  const q = expect(qd, FullGaussian, "q");
  const p = expect(pd, DiagGaussian, "p");
  const d = q.width;
  const batch = Math.max(q.batch, p.batch);
  const rowSq = tf.sum(tf.square(q.scaleTril()), 2); // [B, d]
  const vp = tf.square(p.scale);
  const perDim = tf.add(
    tf.div(tf.add(rowSq, tf.square(tf.sub(q.loc, p.loc))), vp),
    tf.mul(2, tf.log(p.scale)),
  );
  const total = tf.sum(full(perDim as tf.Tensor2D, batch, d), 1);
  const logDet = alignRows(q.logDetCov(), batch);
  return tf.mul(0.5, tf.sub(tf.sub(total, d), logDet));
};

/** Σ_k π_q,k (log π_q,k − log π_p,k). */
export const klCategorical: KlFn = (qd, pd) => {
  const q = expect(qd, Categorical, "q");
  const p = expect(pd, Categorical, "p");
  const lq = q.logProbs();
  const terms = tf.mul(tf.exp(lq), tf.sub(lq, p.logProbs()));
  return tf.sum(terms, 1);
};

registerKl("normal", "normal", klDiagNormal);
registerKl("diag_normal", "normal", klDiagNormal);
registerKl("full_normal", "normal", klFullNormalDiag);
registerKl("categorical", "categorical", klCategorical);
