// `vae eval`: the ELBO and its terms on a split, the importance-sampled log-likelihood
// log p(x) ≈ log (1/K) Σ_k p(x, z_k) / q(z_k | x) (importance sampling; Burda et al.'s IWAE
// bound), computed in passes of bounded size combined by a running log-sum-exp so memory stays
// bounded for large K; per-dimension KL, active units (Burda et al.: Cov_x E_q[z_i] > 0.01) and
// the accuracy of categorical decoders — all from the one evaluation pass of held-out.ts.
import type { HostData, Batch } from "../data/batches.js";
import { deriveSeed, Stream } from "../seeds.js";
import type { ModelSession } from "../model/session.js";
import { EVAL_CHUNK, evaluationPass, type PassSums } from "./held-out.js";
import { ibMetrics, type IbResult } from "./ib.js";

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

/** Rows of one importance-sampling pass: the chunk repeated `times` times (rows k·B + b). */
export const ROWS_PER_PASS = 5000;

/** Σ over the chunk's examples of log (1/K) Σ_k w_k, streaming over passes with a running max. */
async function iwLogLikelihood(
  session: ModelSession,
  batch: Batch,
  k: number,
  seed: number,
): Promise<number> {
  const rows = batch.values().next().value!.shape[0]!;
  const perPass = Math.max(1, Math.floor(ROWS_PER_PASS / rows));
  const acc = new Float64Array(rows).fill(-Infinity);
  for (let done = 0, pass = 0; done < k; pass++) {
    const times = Math.min(perPass, k - done);
    const lse = await session.importance(batch, times, deriveSeed(seed, pass));
    for (let b = 0; b < rows; b++) {
      const a = acc[b]!;
      const c = lse[b]!;
      const m = Math.max(a, c);
      acc[b] =
        m === -Infinity ? m : m + Math.log(Math.exp(a - m) + Math.exp(c - m));
    }
    done += times;
  }
  return acc.reduce((s, v) => s + v - Math.log(k), 0);
}

function activeUnits(s: PassSums, latent: string): number {
  const sum = s.meanSum.get(latent)!;
  const sq = s.meanSq.get(latent)!;
  return [...sum].filter((m, i) => sq[i]! / s.n - (m / s.n) ** 2 > 0.01).length;
}

export async function evaluate(
  session: ModelSession,
  data: HostData,
  options: { iw: number; seed: number },
): Promise<EvalResult> {
  const seed = deriveSeed(options.seed, Stream.eval);
  const s = await evaluationPass(session, data, seed);
  let iw = 0;
  if (options.iw > 0) {
    let chunk = 0;
    for (const batch of data.chunks(EVAL_CHUNK, seed))
      iw += await iwLogLikelihood(
        session,
        batch,
        options.iw,
        deriveSeed(seed, Stream.sample, chunk++),
      );
  }
  const latents = session.ir.latents;
  const result: EvalResult = {
    n: s.n,
    elbo: -(s.recon + s.kl) / s.n,
    recon: s.recon / s.n,
    kl: s.kl / s.n,
    iw_samples: options.iw,
    iw_log_likelihood: options.iw > 0 ? iw / s.n : NaN,
    kl_per_dim: Object.fromEntries(
      latents.map((l) => {
        const dims = s.klDim.get(l.name);
        return [l.name, dims ? [...dims].map((v) => v / s.n) : null];
      }),
    ),
    active_units: Object.fromEntries(
      latents.map((l) => [l.name, activeUnits(s, l.name)]),
    ),
  };
  if (s.correct.size > 0)
    result.accuracy = Object.fromEntries(
      [...s.correct].map(([v, c]) => [v, c / s.n]),
    );
  if (session.ir.kind === "two_view")
    result.ib = await ibMetrics(session, data, { seed: options.seed }, s);
  return result;
}
