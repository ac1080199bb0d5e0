// One evaluation pass over a split: the ELBO's terms with one posterior sample per example and
// β = 1 (pytorch/examples' "test loss" is the negative ELBO), posterior-mean moments, per-dimension
// KL of Gaussian marginals and, for categorical decoders, the accuracy of the most probable class
// at that sample. Seeded, so every epoch uses the same noise. Training reports the held-out ELBO
// from it; `vae eval` adds importance sampling and the derived statistics (evaluate.ts).
import type { IrModel } from "../../ir/types.js";
import type { HostData } from "../data/batches.js";
import { deriveSeed } from "../seeds.js";
import type { ModelSession } from "../model/session.js";

export const EVAL_CHUNK = 500;

export interface PassSums {
  n: number;
  recon: number;
  kl: number;
  reconByView: Map<string, number>;
  /** Per latent, per dimension: Σ posterior mean, Σ mean², Σ marginal KL (Gaussian pairs only). */
  meanSum: Map<string, Float64Array>;
  meanSq: Map<string, Float64Array>;
  klDim: Map<string, Float64Array | null>;
  /** Categorical views: examples whose most probable class is the label. */
  correct: Map<string, number>;
}

function emptySums(ir: IrModel): PassSums {
  const perLatent = (): Map<string, Float64Array> =>
    new Map(ir.latents.map((l) => [l.name, new Float64Array(l.width)]));
  return {
    n: 0,
    recon: 0,
    kl: 0,
    reconByView: new Map(ir.decoders.map((d) => [d.target, 0])),
    meanSum: perLatent(),
    meanSq: perLatent(),
    klDim: new Map(ir.latents.map((l) => [l.name, null])),
    correct: new Map(
      ir.decoders
        .filter((d) => d.dist.family === "categorical")
        .map((d) => [d.target, 0]),
    ),
  };
}

const total = (a: Float32Array): number => a.reduce((s, v) => s + v, 0);

/** Adds column sums of `values` [rows, d] (optionally squared) into `acc`. */
function addColumns(
  acc: Float64Array,
  values: Float32Array,
  square: boolean,
): void {
  const d = acc.length;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    acc[i % d]! += square ? v * v : v;
  }
}

/** The sums of one evaluation pass over `data` (chunks of EVAL_CHUNK, seeded by `seed`). */
export async function evaluationPass(
  session: ModelSession,
  data: HostData,
  seed: number,
): Promise<PassSums> {
  const ir = session.ir;
  const sums = emptySums(ir);
  let chunk = 0;
  for (const batch of data.chunks(EVAL_CHUNK, seed)) {
    const out = await session.evalChunk(batch, deriveSeed(seed, chunk++));
    sums.n += out["recon"]!.shape[0]!;
    sums.recon += total(out["recon"]!.data);
    sums.kl += total(out["kl"]!.data);
    for (const v of sums.reconByView.keys())
      sums.reconByView.set(
        v,
        sums.reconByView.get(v)! + total(out[`recon/${v}`]!.data),
      );
    for (const l of ir.latents) {
      addColumns(sums.meanSum.get(l.name)!, out[`mean/${l.name}`]!.data, false);
      addColumns(sums.meanSq.get(l.name)!, out[`mean/${l.name}`]!.data, true);
      const dims = out[`kl_dim/${l.name}`];
      if (dims === undefined) continue;
      const acc = sums.klDim.get(l.name) ?? new Float64Array(l.width);
      addColumns(acc, dims.data, false);
      sums.klDim.set(l.name, acc);
    }
    for (const v of sums.correct.keys())
      sums.correct.set(v, sums.correct.get(v)! + out[`correct/${v}`]!.data[0]!);
  }
  return sums;
}

export interface HeldOut {
  elbo: number;
  /** Categorical views only (absent when the model has none). */
  accuracy?: Record<string, number>;
}

export async function heldOut(
  session: ModelSession,
  data: HostData,
  seed: number,
): Promise<HeldOut> {
  const s = await evaluationPass(session, data, seed);
  const out: HeldOut = { elbo: -(s.recon + s.kl) / s.n };
  if (s.correct.size > 0)
    out.accuracy = Object.fromEntries(
      [...s.correct].map(([v, c]) => [v, c / s.n]),
    );
  return out;
}
