// Gaussian mixture prior `mixture_normal`: K diagonal Gaussian components with learned weights,
// p(z) = Σ_k π_k N(z; μ_k, diag σ_k²), π = softmax(logits).
import type { Sym } from "../builder.js";
import type {
  DistFactory,
  DistParams,
  Distribution,
  NoiseSpec,
} from "./types.js";
import {
  HALF_LOG_2PI,
  checkData,
  checkNoise,
  gumbelMax,
  oneHot,
  param2d,
  sampleRows,
} from "./util.js";

export class GaussianMixture implements Distribution {
  readonly family = "mixture_normal";
  /** A prior: its parameters are shared by every example. */
  readonly batch = 1;
  readonly components: number;
  /** logits [1, K]; loc, scale [K, d] (or [K, 1], broadcast over d; scale positive). */
  readonly logits: Sym;
  readonly loc: Sym;
  readonly scale: Sym;

  constructor(
    params: DistParams,
    readonly width: number,
  ) {
    const family = this.family;
    this.logits = param2d(params, "logits", family);
    this.loc = param2d(params, "loc", family);
    this.scale = param2d(params, "scale", family);
    const k = this.logits.shape[1]!;
    if (this.logits.shape[0] !== 1)
      throw new Error(
        `distribution '${family}': logits must be [1, K], got [${this.logits.shape.join(", ")}]`,
      );
    for (const [name, t] of [
      ["loc", this.loc],
      ["scale", this.scale],
    ] as const) {
      if (t.shape[0] !== k || (t.shape[1] !== width && t.shape[1] !== 1))
        throw new Error(
          `distribution '${family}': ${name} must be [${k}, ${width}], got [${t.shape.join(", ")}]`,
        );
    }
    this.components = k;
  }

  /** Mixture weights log π [1, K]. */
  logWeights(): Sym {
    return this.logits.logSoftmax(1);
  }

  /** ε ~ N(0, I) [rows, d] for the component's Gaussian, u ~ U(0, 1) [rows, K] for its choice. */
  noise(rows: number): NoiseSpec[] {
    sampleRows(this.family, 1, rows);
    return [
      { kind: "normal", shape: [rows, this.width] },
      { kind: "uniform", shape: [rows, this.components] },
    ];
  }

  /**
   * Ancestral sampling: the component k ~ Categorical(π) of each row by the Gumbel-max trick,
   * selected by one-hot @ loc / scale (no gather), then z = μ_k + σ_k ⊙ ε. The component choice
   * is discrete, so there is no reparameterized draw; the draw carries no gradient.
   */
  sample(noise: readonly Sym[]): Sym {
    checkNoise(this.family, noise, (r) => this.noise(r));
    const [eps, u] = noise as [Sym, Sym];
    const pick = oneHot(gumbelMax(this.logits, u), this.components); // [rows, K]
    const mu = pick.matmul(this.loc);
    const sigma = pick.matmul(this.scale);
    return mu.add(sigma.mul(eps)).stopGradient();
  }

  /**
   * log p(x) = logsumexp_k(log π_k + Σ_d log N(x_d; μ_kd, σ_kd)), broadcasting x [N, 1, d]
   * against the components [1, K, d|1].
   */
  logProb(x: Sym): Sym {
    const rows = checkData(this.family, x, this.width, 1);
    const k = this.components;
    const x3 = x.reshape([rows, 1, this.width]);
    const mu = this.loc.reshape([1, k, this.loc.shape[1]!]);
    const sigma = this.scale.reshape([1, k, this.scale.shape[1]!]);
    const z = x3.sub(mu).div(sigma);
    const perDim = z.square().mul(-0.5).sub(sigma.log().add(HALF_LOG_2PI)); // [N, K, d]
    const perComp = perDim.sum(2).add(this.logWeights()); // [N, K]
    return perComp.logsumexp(1);
  }

  /** E[z] = Σ_k π_k μ_k [1, d]. */
  mean(): Sym {
    return this.logits.softmax(1).matmul(this.loc).broadcastTo([1, this.width]);
  }
}

export const mixtureNormalFactory: DistFactory = (params, size) =>
  new GaussianMixture(params, size);
