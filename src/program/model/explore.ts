// Programs for looking at a trained model: posterior means and the reconstructions they decode
// to, decoding given latents, decoded prior draws, and the information bottleneck's predictive
// (S posterior samples per example: one-sample and averaged accuracy).
import type { IrModel } from "../../ir/types.js";
import { Builder, type Sym } from "../builder.js";
import { ModelGraph } from "./model.js";
import { NoiseInputs } from "./noise-inputs.js";
import { correctCount, finish, type ModelProgram } from "./programs.js";

/** Decoded means at given latents: outputs mean/<view> [n, width] for every decoded view. */
function decodedMeans(
  g: ModelGraph,
  z: ReadonlyMap<string, Sym>,
  outputs: Record<string, Sym>,
  prefix: string,
): void {
  for (const [view, d] of g.decoders(z)) {
    const m = d.mean();
    outputs[`${prefix}/${view}`] = m.broadcastTo([
      z.values().next().value!.shape[0]!,
      m.shape[1]!,
    ]);
  }
}

/**
 * Posterior means mean/<latent> [rows, d], marginal standard deviations scale/<latent> (Gaussian
 * posteriors) and the reconstructions at the means, recon/<view>.
 */
export function encodeProgram(ir: IrModel, rows: number): ModelProgram {
  const b = new Builder();
  const g = new ModelGraph(ir, b);
  const q = g.posteriors(g.data(rows));
  const z = new Map(
    [...q].map(([name, d]) => [name, d.mean().broadcastTo([rows, d.width])]),
  );
  const outputs: Record<string, Sym> = {};
  for (const [name, m] of z) outputs[`mean/${name}`] = m;
  for (const [name, d] of q) {
    const marginals = d.gaussianMarginals?.();
    if (marginals)
      outputs[`scale/${name}`] = marginals.scale.broadcastTo([rows, d.width]);
  }
  decodedMeans(g, z, outputs, "recon");
  return finish(b, new NoiseInputs(b), outputs);
}

/** Decodes the inputs z/<latent> [n, d]: outputs mean/<view>. */
export function decodeProgram(ir: IrModel, n: number): ModelProgram {
  const b = new Builder();
  const g = new ModelGraph(ir, b);
  const z = new Map(
    ir.latents.map((l) => [l.name, b.input(`z/${l.name}`, [n, l.width])]),
  );
  const outputs: Record<string, Sym> = {};
  decodedMeans(g, z, outputs, "mean");
  return finish(b, new NoiseInputs(b), outputs);
}

/** `n` draws z ~ p(z), decoded: outputs z/<latent> and mean/<view>. */
export function priorSampleProgram(ir: IrModel, n: number): ModelProgram {
  const b = new Builder();
  const g = new ModelGraph(ir, b);
  const noise = new NoiseInputs(b);
  const z = new Map<string, Sym>();
  for (const [name, p] of g.priors())
    z.set(name, p.sample(noise.take(name, p.noise(n))));
  const outputs: Record<string, Sym> = {};
  for (const [name, s] of z) outputs[`z/${name}`] = s;
  decodedMeans(g, z, outputs, "mean");
  return finish(b, noise, outputs);
}

/**
 * The predictive of categorical views from S posterior samples per example (stacked rows s·B + b):
 * correct_one/<view> with the first sample, correct_avg/<view> with the class probabilities
 * averaged over the S samples (Alemi et al.'s averaged predictive). Scalars: counts of the chunk.
 */
export function predictiveProgram(
  ir: IrModel,
  rows: number,
  samples: number,
): ModelProgram {
  const b = new Builder();
  const g = new ModelGraph(ir, b);
  const noise = new NoiseInputs(b);
  const data = g.data(rows);
  const z = new Map<string, Sym>();
  for (const [name, q] of g.posteriors(data))
    z.set(name, g.draws(name, q, rows * samples, noise));
  const outputs: Record<string, Sym> = {};
  for (const [view, d] of g.decoders(z)) {
    if (d.family !== "categorical") continue;
    const probs = d.mean();
    const k = probs.shape[1]!;
    const labels = data.get(view)!;
    outputs[`correct_one/${view}`] = correctCount(
      probs.slice([0, 0], [rows, k]),
      labels,
    );
    outputs[`correct_avg/${view}`] = correctCount(
      probs.reshape([samples, rows, k]).mean(0),
      labels,
    );
  }
  return finish(b, noise, outputs);
}
