// Continuous Bernoulli likelihood `continuous_bernoulli` (Loaiza-Ganem & Cunningham 2019) on
// logits λ: p(x | λ) = C(λ) σ(λ)^x (1 − σ(λ))^(1−x) on x ∈ [0, 1].
import type { Sym } from "../builder.js";
import type { DistFactory, DistParams } from "./types.js";
import { LogitDistribution } from "./bernoulli.js";
import { alignRows, checkNoise } from "./util.js";

/** Below this |λ| the closed forms lose precision (0/0 at λ = 0): Taylor series instead. */
export const TAYLOR = 0.1;

/**
 * Elementwise `taylor(λ)` where |λ| < TAYLOR, else `exact(λ)`, by select. The exact branch is
 * evaluated at a harmless λ = 1 where the Taylor one is taken, so that neither its value nor its
 * gradient (which `where` multiplies by 0, and 0 · ∞ = NaN) is ever 0/0 or infinite.
 */
function branch(
  lambda: Sym,
  taylor: (l: Sym) => Sym,
  exact: (l: Sym) => Sym,
): Sym {
  const small = lambda.abs().less(TAYLOR);
  const safe = small.select(1, lambda);
  return small.select(taylor(lambda), exact(safe));
}

/**
 * log C(λ), C(λ) = λ / tanh(λ/2) (from 1 − 2p = −tanh(λ/2)), even in λ:
 * log|λ| − log tanh(|λ|/2) with log tanh(a/2) = log(−expm1(−a)) − log1p(e^{−a}) (no overflow).
 * Near 0 its Taylor series log 2 + λ²/12 − 7λ⁴/1440 + 31λ⁶/90720, the integral of the
 * derivative's 1/λ − 1/sinh λ = λ/6 − 7λ³/360 + 31λ⁵/15120 − …: at the switch the dropped
 * terms are below 1e-13 in the value and 3e-11 in the gradient, which comes from the AD of
 * these ops.
 */
export function logNormaliser(lambda: Sym): Sym {
  return branch(
    lambda,
    (l) => {
      const l2 = l.square();
      const series = l2
        .mul(31 / 90720)
        .sub(7 / 1440)
        .mul(l2)
        .add(1 / 12);
      return l2.mul(series).add(Math.LN2);
    },
    (l) => {
      const a = l.abs();
      const negA = a.neg();
      const logTanh = negA.expm1().neg().log().sub(negA.exp().log1p());
      return a.log().sub(logTanh);
    },
  );
}

/**
 * E[x] = 1/(1 − e^{−λ}) − 1/λ (the λ-form of p/(2p−1) + 1/(2 artanh(1−2p))). Near 0 its
 * Taylor series ½ + λ/12 − λ³/720 + λ⁵/30240 (from λ/(1 − e^{−λ}) = Σ Bₙ⁺ λⁿ/n!, the Bernoulli
 * numbers): the dropped terms are below 1e-15 in the value and 1e-11 in the gradient.
 */
export function cbMean(lambda: Sym): Sym {
  return branch(
    lambda,
    (l) => {
      const l2 = l.square();
      const series = l2
        .div(30240)
        .sub(1 / 720)
        .mul(l2)
        .add(1 / 12);
      return l.mul(series).add(0.5);
    },
    (l) => l.neg().expm1().reciprocal().neg().sub(l.reciprocal()),
  );
}

/**
 * Inverse CDF of CB(λ) at u: F⁻¹(u) = log1p(u·expm1(λ))/λ. Solved for −|λ| ≤ 0 (nothing
 * overflows) and mirrored, F⁻¹_λ(u) = 1 − F⁻¹_{−λ}(1 − u) for λ > 0; ≈ v − |λ|v(1−v)/2 for
 * |λ| < 10⁻³ (v the mirrored u), where the exact form is evaluated at a harmless |λ| = 1.
 */
export function cbInverseCdf(lambda: Sym, u: Sym): Sym {
  const pos = lambda.greater(0);
  const a = lambda.abs();
  const v = pos.select(u.neg().add(1), u);
  const small = a.less(1e-3);
  const aSafe = small.select(1, a);
  const exact = v.mul(aSafe.neg().expm1()).log1p().div(aSafe.neg());
  const taylor = v.sub(a.mul(v).mul(v.neg().add(1)).mul(0.5));
  const y = small.select(taylor, exact);
  return pos.select(y.neg().add(1), y).clip(0, 1);
}

export class ContinuousBernoulli extends LogitDistribution {
  readonly family = "continuous_bernoulli";

  constructor(params: DistParams, width: number) {
    super("continuous_bernoulli", params, width);
  }

  /** A draw by the inverse CDF of u ~ U(0, 1), without gradient: likelihoods only need it to draw images. */
  sample(noise: readonly Sym[]): Sym {
    const rows = checkNoise(this.family, noise, (r) => this.noise(r));
    return cbInverseCdf(this.logitsFor(rows), noise[0]!).stopGradient();
  }

  /** Σ_d [x·λ − softplus(λ) + log C(λ)]. */
  logProb(x: Sym): Sym {
    const term = this.bernoulliTerm(x);
    const logC = logNormaliser(this.logitsFor(this.batch)).sum(1); // [B], once per example
    return term.add(alignRows(logC, x.shape[0]!));
  }

  /** E[x] [B, d]. */
  mean(): Sym {
    return cbMean(this.logitsFor(this.batch));
  }
}

export const continuousBernoulliFactory: DistFactory = (params, size) =>
  new ContinuousBernoulli(params, size);
