// Information-bottleneck measurements of a two-view model (the deep information bottleneck,
// Alemi et al. 2017): the rate E_x̃[KL(q(z|x̃) ‖ p(z))], an upper bound on I(x̃; z);
// for a categorical view y, H(Y) from the data and the variational bound
// I(z; y) ≥ H(Y) − E[−log p(y | z)]; accuracy with one posterior sample and with the predictive
// averaged over S samples; for a continuous view, its reconstruction log-likelihood.
import type { HostData } from "../data/batches.js";
import { deriveSeed, Stream } from "../seeds.js";
import type { ModelSession } from "../model/session.js";
import { EVAL_CHUNK, evaluationPass, type PassSums } from "./held-out.js";

const LN2 = Math.log(2);

/** Posterior samples of the averaged predictive (Alemi et al. average 12). */
export const PREDICTIVE_SAMPLES = 12;

export interface IbView {
  /** Categorical views. */
  entropy_nats?: number;
  cross_entropy_nats?: number;
  mi_lower_bound_nats?: number;
  mi_lower_bound_bits?: number;
  accuracy_one_sample?: number;
  accuracy_averaged?: number;
  averaged_samples?: number;
  /** Continuous views: E[log p(x | z)], one posterior sample. */
  log_likelihood_nats?: number;
}

export interface IbResult {
  rate_nats: number;
  rate_bits: number;
  views: Record<string, IbView>;
}

/** H(Y) in nats of class indices with k classes (plug-in estimate from the counts). */
export function entropy(counts: readonly number[]): number {
  const n = counts.reduce((s, c) => s + c, 0);
  return counts.reduce(
    (h, c) => (c === 0 ? h : h - (c / n) * Math.log(c / n)),
    0,
  );
}

/**
 * The IB block of a two-view model. `pass` is the split's evaluation pass (its KL is the rate, its
 * per-view reconstruction the cross-entropy); the predictive takes `samples` posterior draws.
 */
export async function ibMetrics(
  session: ModelSession,
  data: HostData,
  options: { seed: number; samples?: number },
  given?: PassSums,
): Promise<IbResult> {
  const pass =
    given ??
    (await evaluationPass(
      session,
      data,
      deriveSeed(options.seed, Stream.eval),
    ));
  const samples = options.samples ?? PREDICTIVE_SAMPLES;
  const ir = session.ir;
  const categorical = ir.decoders
    .filter((d) => d.dist.family === "categorical")
    .map((d) => ir.views.find((v) => v.name === d.target)!);
  const continuous = ir.decoders
    .filter((d) => d.dist.family !== "categorical")
    .map((d) => d.target);
  const counts = new Map(
    categorical.map((v) => [v.name, new Array<number>(v.categories!).fill(0)]),
  );
  const one = new Map(categorical.map((v) => [v.name, 0]));
  const avg = new Map(categorical.map((v) => [v.name, 0]));
  if (categorical.length > 0) {
    let chunk = 0;
    for (const batch of data.chunks(
      EVAL_CHUNK,
      deriveSeed(options.seed, Stream.eval),
    )) {
      const out = await session.predictive(
        batch,
        samples,
        deriveSeed(options.seed, Stream.sample, chunk++),
      );
      for (const v of categorical) {
        for (const y of batch.get(v.name)!.data) counts.get(v.name)![y]!++;
        one.set(
          v.name,
          one.get(v.name)! + out[`correct_one/${v.name}`]!.data[0]!,
        );
        avg.set(
          v.name,
          avg.get(v.name)! + out[`correct_avg/${v.name}`]!.data[0]!,
        );
      }
    }
  }
  const n = pass.n;
  const views: Record<string, IbView> = {};
  for (const v of categorical) {
    const h = entropy(counts.get(v.name)!);
    const ce = pass.reconByView.get(v.name)! / n;
    views[v.name] = {
      entropy_nats: h,
      cross_entropy_nats: ce,
      mi_lower_bound_nats: h - ce,
      mi_lower_bound_bits: (h - ce) / LN2,
      accuracy_one_sample: one.get(v.name)! / n,
      accuracy_averaged: avg.get(v.name)! / n,
      averaged_samples: samples,
    };
  }
  for (const v of continuous)
    views[v] = { log_likelihood_nats: -pass.reconByView.get(v)! / n };
  return { rate_nats: pass.kl / n, rate_bits: pass.kl / n / LN2, views };
}
