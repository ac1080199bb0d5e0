// Information-bottleneck measurements of a two-view model (seed 003, "the deep information
// bottleneck"; Alemi et al. 2017): the rate E_x̃[KL(q(z|x̃) ‖ p(z))], an upper bound on I(x̃; z);
// for a categorical view y, H(Y) from the data and the variational bound
// I(z; y) ≥ H(Y) − E[−log p(y | z)]; accuracy with one posterior sample and with the predictive
// averaged over S samples; for a continuous view, its reconstruction log-likelihood.
import * as tf from "@tensorflow/tfjs";
import type { LoweredModel } from "../lower/model.js";
import { deriveSeed, Stream } from "../lower/seeds.js";
import type { DeviceData } from "./batches.js";
import { correctPredictions, EVAL_CHUNK } from "./test-elbo.js";

const LN2 = Math.log(2);

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

export function ibMetrics(
  model: LoweredModel,
  data: DeviceData,
  options: { seed: number; samples?: number },
): IbResult {
  const samples = options.samples ?? 12;
  const ir = model.ir;
  const categorical = ir.decoders
    .filter((d) => d.dist.family === "categorical")
    .map((d) => ir.views.find((v) => v.name === d.target)!);
  const continuous = ir.decoders
    .filter((d) => d.dist.family !== "categorical")
    .map((d) => d.target);
  const counts = new Map(
    categorical.map((v) => [v.name, new Array<number>(v.categories!).fill(0)]),
  );
  const sums = {
    rate: 0,
    recon: new Map<string, number>(),
    one: new Map<string, number>(),
    avg: new Map<string, number>(),
  };
  let chunk = 0;
  for (const batch of data.chunks(
    EVAL_CHUNK,
    deriveSeed(options.seed, Stream.eval),
  )) {
    const seed = deriveSeed(options.seed, Stream.eval, chunk++);
    tf.tidy(() => {
      const rows = batch.values().next().value!.shape[0];
      const t = model.terms(batch, seed);
      sums.rate += tf.sum(t.kl).dataSync()[0]!;
      for (const [view, r] of t.reconByView)
        sums.recon.set(
          view,
          (sums.recon.get(view) ?? 0) + tf.sum(r).dataSync()[0]!,
        );
      if (categorical.length === 0) return;
      // S posterior samples per example in one pass: rows s·B + b.
      const q = model.encodeTiled(batch, samples);
      const z = new Map(
        ir.latents.map((l, i) => [
          l.name,
          q.get(l.name)!.rsample(deriveSeed(seed, Stream.noise, i)),
        ]),
      );
      const decoded = model.decode(z);
      for (const v of categorical) {
        const labels = batch.get(v.name)!.dataSync();
        for (const y of labels) counts.get(v.name)![y]!++;
        const probs = tf.reshape(decoded.get(v.name)!.mean(), [
          samples,
          rows,
          v.categories!,
        ]);
        const hits = (p: tf.Tensor): number =>
          correctPredictions(p, batch.get(v.name)!);
        sums.one.set(
          v.name,
          (sums.one.get(v.name) ?? 0) +
            hits(tf.squeeze(tf.slice(probs, [0, 0, 0], [1, -1, -1]), [0])),
        );
        sums.avg.set(
          v.name,
          (sums.avg.get(v.name) ?? 0) + hits(tf.mean(probs, 0)),
        );
      }
    });
    tf.dispose([...batch.values()]);
  }
  const n = data.n;
  const views: Record<string, IbView> = {};
  for (const v of categorical) {
    const h = entropy(counts.get(v.name)!);
    const ce = sums.recon.get(v.name)! / n;
    views[v.name] = {
      entropy_nats: h,
      cross_entropy_nats: ce,
      mi_lower_bound_nats: h - ce,
      mi_lower_bound_bits: (h - ce) / LN2,
      accuracy_one_sample: sums.one.get(v.name)! / n,
      accuracy_averaged: sums.avg.get(v.name)! / n,
      averaged_samples: samples,
    };
  }
  for (const v of continuous)
    views[v] = { log_likelihood_nats: -sums.recon.get(v)! / n };
  return { rate_nats: sums.rate / n, rate_bits: sums.rate / n / LN2, views };
}
