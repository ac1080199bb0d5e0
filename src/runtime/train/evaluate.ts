// `vae eval`: the ELBO and its terms on a split, the importance-sampled log-likelihood
// log p(x) ≈ log (1/K) Σ_k p(x, z_k) / q(z_k | x) (seed 001, Burda et al.'s IWAE bound), computed
// in chunks with a running log-sum-exp so memory stays bounded for large K; per-dimension KL,
// active units (Burda et al.: Cov_x E_q[z_i] > 0.01) and accuracy of categorical decoders.
import * as tf from "@tensorflow/tfjs";
import type { Distribution } from "../distributions/types.js";
import type { LoweredModel } from "../lower/model.js";
import { deriveSeed, Stream } from "../lower/seeds.js";
import type { DeviceData } from "./batches.js";
import { ibMetrics, type IbResult } from "./ib.js";
import {
  categoricalViews,
  correctPredictions,
  EVAL_CHUNK,
} from "./test-elbo.js";

export interface EvalResult {
  n: number;
  elbo: number;
  recon: number;
  kl: number;
  iw_samples: number;
  iw_log_likelihood: number;
  kl_per_dim: Record<string, number[] | null>;
  active_units: Record<string, number>;
  accuracy?: Record<string, number>;
  /** Two-view (information bottleneck) models only. */
  ib?: IbResult;
}

/** Rows of one importance-sampling pass: the batch repeated `times` times (rows k·B + b). */
const ROWS_PER_PASS = 5000;

/** log p(x, z) − log q(z | x) for `times` samples per example: [times, B]. */
function logWeights(
  model: LoweredModel,
  batch: Map<string, tf.Tensor2D>,
  times: number,
  seed: number,
): tf.Tensor2D {
  return tf.tidy(() => {
    const rows = batch.values().next().value!.shape[0];
    const q = model.encodeTiled(batch, times);
    const p = model.priors();
    const z = new Map<string, tf.Tensor2D>();
    let logW: tf.Tensor1D = tf.zeros([rows * times]);
    model.ir.latents.forEach((latent, i) => {
      const qz = q.get(latent.name)!;
      const sample = qz.rsample(deriveSeed(seed, i));
      z.set(latent.name, sample);
      logW = tf.add(
        logW,
        tf.sub(p.get(latent.name)!.logProb(sample), qz.logProb(sample)),
      );
    });
    for (const [view, dist] of model.decode(z)) {
      const x = batch.get(view)!;
      logW = tf.add(logW, dist.logProb(tf.tile(x, [times, 1]) as tf.Tensor2D));
    }
    return tf.reshape(logW, [times, rows]) as tf.Tensor2D;
  });
}

/** log (1/K) Σ_k w_k per example, streaming over chunks of samples with a running max. */
function iwLogLikelihood(
  model: LoweredModel,
  batch: Map<string, tf.Tensor2D>,
  k: number,
  seed: number,
): number {
  const rows = batch.values().next().value!.shape[0];
  const perPass = Math.max(1, Math.floor(ROWS_PER_PASS / rows));
  let acc: tf.Tensor1D | undefined;
  for (let done = 0, pass = 0; done < k; pass++) {
    const times = Math.min(perPass, k - done);
    const lw = logWeights(model, batch, times, deriveSeed(seed, pass));
    const next = tf.tidy(() => {
      const chunk = tf.logSumExp(lw, 0) as tf.Tensor1D;
      return acc === undefined
        ? chunk
        : (tf.logSumExp(tf.stack([acc, chunk]), 0) as tf.Tensor1D);
    });
    lw.dispose();
    acc?.dispose();
    acc = next;
    done += times;
  }
  const total = tf.tidy(() => tf.sum(tf.sub(acc!, Math.log(k))).dataSync()[0]!);
  acc!.dispose();
  return total;
}

export function evaluate(
  model: LoweredModel,
  data: DeviceData,
  options: { iw: number; seed: number },
): EvalResult {
  const seed = deriveSeed(options.seed, Stream.eval);
  const sums = { recon: 0, kl: 0, iw: 0 };
  const latents = model.ir.latents;
  const meanSum = new Map(
    latents.map((l) => [l.name, new Float64Array(l.width)]),
  );
  const meanSq = new Map(
    latents.map((l) => [l.name, new Float64Array(l.width)]),
  );
  const klDim = new Map(
    latents.map((l) => [l.name, new Float64Array(l.width)]),
  );
  const categorical = categoricalViews(model);
  const correct = new Map(categorical.map((v) => [v, 0]));
  // Latents whose posterior and prior both have Gaussian marginals get a per-dimension KL.
  const perDim = new Set<string>();
  let chunk = 0;
  for (const batch of data.chunks(EVAL_CHUNK, seed)) {
    const s = deriveSeed(seed, chunk++);
    tf.tidy(() => {
      // One pass gives the terms, the posteriors (means, marginals) and the decoded views.
      const t = model.terms(batch, s);
      sums.recon += tf.sum(t.recon).dataSync()[0]!;
      sums.kl += tf.sum(t.kl).dataSync()[0]!;
      for (const l of latents) {
        const q = t.posteriors.get(l.name)!;
        const mean = q.mean().arraySync();
        const dims = marginalKl(q, t.priors.get(l.name)!)?.arraySync();
        if (dims) perDim.add(l.name);
        mean.forEach((row, b) =>
          row.forEach((m, i) => {
            meanSum.get(l.name)![i]! += m;
            meanSq.get(l.name)![i]! += m * m;
            if (dims) klDim.get(l.name)![i]! += dims[b]![i]!;
          }),
        );
      }
      for (const v of categorical)
        correct.set(
          v,
          correct.get(v)! +
            correctPredictions(t.decoded.get(v)!.mean(), batch.get(v)!),
        );
    });
    if (options.iw > 0) sums.iw += iwLogLikelihood(model, batch, options.iw, s);
    tf.dispose([...batch.values()]);
  }
  const n = data.n;
  const result: EvalResult = {
    n,
    elbo: -(sums.recon + sums.kl) / n,
    recon: sums.recon / n,
    kl: sums.kl / n,
    iw_samples: options.iw,
    iw_log_likelihood: options.iw > 0 ? sums.iw / n : NaN,
    kl_per_dim: Object.fromEntries(
      latents.map((l) => [
        l.name,
        perDim.has(l.name) ? [...klDim.get(l.name)!].map((v) => v / n) : null,
      ]),
    ),
    active_units: Object.fromEntries(
      latents.map((l) => {
        const sum = meanSum.get(l.name)!;
        const sq = meanSq.get(l.name)!;
        return [
          l.name,
          [...sum].filter((s, i) => sq[i]! / n - (s / n) ** 2 > 0.01).length,
        ];
      }),
    ),
  };
  if (categorical.length > 0)
    result.accuracy = Object.fromEntries(
      categorical.map((v) => [v, correct.get(v)! / n]),
    );
  if (model.ir.kind === "two_view")
    result.ib = ibMetrics(model, data, { seed: options.seed });
  return result;
}

/**
 * Per-dimension KL of the posterior's marginals to a Gaussian prior [B, d]:
 * ½(σ²/σp² + (μ − μp)²/σp² − 1 − log(σ²/σp²)); undefined when either is not Gaussian.
 */
function marginalKl(q: Distribution, p: Distribution): tf.Tensor2D | undefined {
  const qm = q.gaussianMarginals?.();
  const pm = p.gaussianMarginals?.();
  if (!qm || !pm) return undefined;
  const s2 = tf.div(tf.square(qm.scale), tf.square(pm.scale));
  const d2 = tf.div(tf.square(tf.sub(qm.loc, pm.loc)), tf.square(pm.scale));
  return tf.mul(
    0.5,
    tf.sub(tf.add(s2, d2), tf.add(1, tf.log(s2))),
  ) as tf.Tensor2D;
}
