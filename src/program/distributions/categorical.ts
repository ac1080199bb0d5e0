// Categorical likelihood `categorical`: logits [B, k]; data is one column holding the class index.
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
  checkData,
  checkNoise,
  gumbelMax,
  oneHot,
  param2d,
  sampleRows,
} from "./util.js";

export class Categorical implements Distribution {
  readonly family = "categorical";
  readonly batch: number;
  /** Event width: 1 column holding the class index as a float. */
  readonly width = 1;
  readonly logits: Sym;

  constructor(
    params: DistParams,
    readonly classes: number,
  ) {
    this.logits = param2d(params, "logits", this.family);
    if (this.logits.shape[1] !== classes)
      throw new Error(
        `distribution 'categorical': logits has ${this.logits.shape[1]} columns, expected ${classes} classes`,
      );
    this.batch = batchOf(this.family, this.logits);
  }

  /** log softmax(logits) [B, k]. */
  logProbs(): Sym {
    return this.logits.logSoftmax(1);
  }

  /** u ~ U(0, 1) [rows, k]: the Gumbel-max draw's noise. */
  noise(rows: number): NoiseSpec[] {
    sampleRows(this.family, this.batch, rows);
    return [{ kind: "uniform", shape: [rows, this.classes] }];
  }

  /** A class draw [rows, 1] (float index) by the Gumbel-max trick; discrete, so no gradient. */
  sample(noise: readonly Sym[]): Sym {
    checkNoise(this.family, noise, (r) => this.noise(r));
    return gumbelMax(this.logits, noise[0]!).stopGradient();
  }

  /** Σ_k oneHot(x)_k · log softmax(logits)_k: the one-hot of the data, not a gather. */
  logProb(x: Sym): Sym {
    const rows = checkData(this.family, x, 1, this.batch);
    const lp = alignRows(this.logProbs(), rows);
    return oneHot(x, this.classes).mul(lp).sum(1);
  }

  /** The class probabilities softmax(logits) [B, k]. */
  mean(): Sym {
    return this.logits.softmax(1);
  }
}

export const categoricalFactory: DistFactory = (params, size) =>
  new Categorical(params, size);
