// Bernoulli likelihood `bernoulli` on logits λ; grey levels x ∈ [0, 1] score like BCE-with-logits.
import type { Sym } from "../builder.js";
import type {
  DistFactory,
  DistParams,
  Distribution,
  NoiseSpec,
} from "./types.js";
import {
  alignRows,
  batchOf,
  checkCols,
  checkData,
  checkNoise,
  full,
  param2d,
  sampleRows,
} from "./util.js";

/** Logit-parameterised distributions on [0, 1]^d: the shared parameter handling. */
export abstract class LogitDistribution implements Distribution {
  abstract readonly family: string;
  readonly batch: number;
  /** logits [1|B, 1|d]. */
  readonly logits: Sym;

  constructor(
    family: string,
    params: DistParams,
    readonly width: number,
  ) {
    this.logits = param2d(params, "logits", family);
    checkCols(this.logits, width, "logits", family);
    this.batch = batchOf(family, this.logits);
  }

  /** Logits lined up with `rows` rows of width d: [rows, d]. */
  protected logitsFor(rows: number): Sym {
    return full(alignRows(this.logits, rows), rows, this.width);
  }

  /** u ~ U(0, 1) [rows, d]: the inverse-CDF draw's noise. */
  noise(rows: number): NoiseSpec[] {
    sampleRows(this.family, this.batch, rows);
    return [{ kind: "uniform", shape: [rows, this.width] }];
  }

  /** Σ_d [x·λ − softplus(λ)] [N]: log σ(λ)^x (1−σ(λ))^(1−x), the stable BCE-with-logits (also for grey x). */
  protected bernoulliTerm(x: Sym): Sym {
    const rows = checkData(this.family, x, this.width, this.batch);
    const l = alignRows(this.logits, rows);
    return x.mul(l).sub(l.softplus()).sum(1);
  }

  abstract sample(noise: readonly Sym[]): Sym;
  abstract logProb(x: Sym): Sym;
  abstract mean(): Sym;
}

export class Bernoulli extends LogitDistribution {
  readonly family = "bernoulli";

  constructor(params: DistParams, width: number) {
    super("bernoulli", params, width);
  }

  /** A Bernoulli draw 1[u < σ(λ)]: discrete, so not reparameterizable (no gradient). */
  sample(noise: readonly Sym[]): Sym {
    const rows = checkNoise(this.family, noise, (r) => this.noise(r));
    return noise[0]!.less(this.logitsFor(rows).sigmoid()).stopGradient();
  }

  logProb(x: Sym): Sym {
    return this.bernoulliTerm(x);
  }

  /** E[x] = σ(λ) [B, d]. */
  mean(): Sym {
    return this.logitsFor(this.batch).sigmoid();
  }
}

export const bernoulliFactory: DistFactory = (params, size) =>
  new Bernoulli(params, size);
