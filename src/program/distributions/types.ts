// The contract every distribution meets, written against the tensor program's ops. Values are
// batched: B examples by d event dimensions; a prior's parameters have batch 1 and broadcast.
// Randomness is never drawn here: a draw reads noise inputs (standard normal or uniform) that
// the run's seeded generator fills, so every engine sees the same ε for the same seed and step
// (the reparameterization trick: z = g(θ, ε) with ε independent of θ).
import type { Sym } from "../builder.js";

/** Noise a draw reads; filled by the run's seeded generator, never by an engine. */
export interface NoiseSpec {
  /** `normal`: N(0, 1); `uniform`: U on the open interval (0, 1). */
  kind: "normal" | "uniform";
  shape: number[];
}

export interface Distribution {
  /** The IR family (`diag_normal`, `bernoulli`, ...): the key of the KL registry. */
  readonly family: string;
  /** Data columns d (Categorical: 1, the class index). */
  readonly width: number;
  /** Parameter rows: 1 for a prior, B for an encoder/decoder. */
  readonly batch: number;
  /**
   * The noise a draw of `rows` rows reads. rows = batch, or S·batch for S stacked draws (row
   * s·batch + b is draw s of example b); anything else is an error.
   */
  noise(rows: number): NoiseSpec[];
  /** Reparameterized draw [rows, width], differentiable in the parameters. Absent when the family has none. */
  rsample?(noise: readonly Sym[]): Sym;
  /** A draw [rows, width] with no gradient (stop_gradient); every family has one. */
  sample(noise: readonly Sym[]): Sym;
  /** log p(x) per row [N], summed over the event; N = batch or a multiple of it (stacked rows). */
  logProb(x: Sym): Sym;
  /** E[x] [batch, width] (Categorical: the class probabilities [batch, k]). */
  mean(): Sym;
  /** Gaussian families: each dimension's marginal mean and standard deviation [batch, d]. */
  gaussianMarginals?(): { loc: Sym; scale: Sym };
}

/** Constrained parameters as the IR's transforms hand them over (scales already positive): 2-D [1|B, 1|d]. */
export type DistParams = Record<string, Sym>;

/** Builds a distribution of one family; `size` is the event size d (the number of classes for categorical). */
export type DistFactory = (params: DistParams, size: number) => Distribution;
