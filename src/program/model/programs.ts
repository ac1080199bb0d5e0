// The programs an engine runs for a model, built once per shape: the training step (loss,
// gradient by reverse-mode AD, optimizer update), an evaluation chunk, importance-sampled
// log-likelihood, encoding, decoding and prior sampling. Each returns the program, the noise
// plan the run fills, and which outputs replace engine-resident state.
import type { IrModel } from "../../ir/types.js";
import { gradients } from "../autodiff.js";
import { Builder, concat, type Sym } from "../builder.js";
import type { Program } from "../graph.js";
import { gaussianKlPerDim } from "../kl.js";
import type { OptimizerRule } from "../optimizers.js";
import { ModelGraph } from "./model.js";
import { NoiseInputs, type NoiseSlot } from "./noise-inputs.js";

export interface ModelProgram {
  program: Program;
  noise: NoiseSlot[];
  /** Output name → the engine-resident state it replaces (learned tensors, optimizer slots). */
  updates: Map<string, string>;
}

/** The name of optimizer slot `slot` of parameter `param`, as state and in checkpoints. */
export const slotName = (slot: string, param: string): string =>
  `${slot}/${param}`;

/** The built program with its noise plan and state updates. */
export function finish(
  b: Builder,
  noise: NoiseInputs,
  outputs: Record<string, Sym>,
  updates = new Map<string, string>(),
): ModelProgram {
  return { program: b.build(outputs), noise: noise.plan, updates };
}

/**
 * One training step on a batch of `rows`: loss = mean(recon + β·KL) (β an input), its gradient
 * with respect to every learned tensor, and the optimizer's update of each tensor and its slots.
 * Outputs `stats` = [loss, mean recon, mean KL].
 */
export function trainStepProgram(
  ir: IrModel,
  rows: number,
  rule: OptimizerRule,
): ModelProgram {
  const b = new Builder();
  const g = new ModelGraph(ir, b);
  const noise = new NoiseInputs(b);
  const t = g.terms(g.data(rows), noise);
  const beta = b.input("beta", []);
  const recon = t.recon.mean();
  const klMean = t.kl.mean();
  const loss = recon.add(beta.mul(klMean));
  const params = ir.parameters.map((p) => g.param(p.name));
  const grads = gradients(loss, params);
  const host = Object.fromEntries(
    Object.keys(rule.hostInputs(1, 1)).map((k) => [
      k,
      b.input(`optimizer/${k}`, []),
    ]),
  );
  const outputs: Record<string, Sym> = {
    stats: concat(
      [loss, recon, klMean].map((s) => s.reshape([1])),
      0,
    ),
  };
  const updates = new Map<string, string>();
  ir.parameters.forEach((p, i) => {
    const slots = Object.fromEntries(
      rule.slots.map((s) => [s, b.input(slotName(s, p.name), p.shape)]),
    );
    const next = rule.update(params[i]!, grads[i]!, slots, host);
    outputs[`next/${p.name}`] = next.param;
    updates.set(`next/${p.name}`, p.name);
    for (const s of rule.slots) {
      outputs[`next/${slotName(s, p.name)}`] = next.slots[s]!;
      updates.set(`next/${slotName(s, p.name)}`, slotName(s, p.name));
    }
  });
  return finish(b, noise, outputs, updates);
}

/** Correct predictions (scalar): argmax of class probabilities [B, k] equals the label [B, 1]. */
export function correctCount(probs: Sym, labels: Sym): Sym {
  return probs.argmax(1).equal(labels).sum();
}

/**
 * One evaluation pass over a chunk of `rows` (β = 1, one posterior sample per example). Outputs,
 * per example: recon, kl, recon/<view>, kl/<latent>, mean/<latent> [rows, d]; kl_dim/<latent>
 * [rows, d] where posterior and prior both have Gaussian marginals; and correct/<view> (a count)
 * for categorical views.
 */
export function evalChunkProgram(ir: IrModel, rows: number): ModelProgram {
  const b = new Builder();
  const g = new ModelGraph(ir, b);
  const noise = new NoiseInputs(b);
  const data = g.data(rows);
  const t = g.terms(data, noise);
  const outputs: Record<string, Sym> = { recon: t.recon, kl: t.kl };
  for (const [v, r] of t.reconByView) outputs[`recon/${v}`] = r;
  for (const [z, k] of t.klByLatent) outputs[`kl/${z}`] = k;
  for (const [z, q] of t.posteriors) {
    outputs[`mean/${z}`] = q.mean().broadcastTo([rows, q.width]);
    const qm = q.gaussianMarginals?.();
    const pm = t.priors.get(z)!.gaussianMarginals?.();
    if (qm && pm)
      outputs[`kl_dim/${z}`] = gaussianKlPerDim(qm, pm).broadcastTo([
        rows,
        q.width,
      ]);
  }
  for (const [v, d] of t.decoded)
    if (d.family === "categorical")
      outputs[`correct/${v}`] = correctCount(d.mean(), data.get(v)!);
  return finish(b, noise, outputs);
}

/**
 * Importance sampling (Burda et al.'s IWAE bound): for `times` draws z_k ~ q(z | x) per example,
 * log w_k = log p(x, z_k) − log q(z_k | x); outputs `lse` [rows] = log Σ_k w_k (the caller
 * combines passes and subtracts log K). Draws are stacked rows k·B + b.
 */
export function importanceProgram(
  ir: IrModel,
  rows: number,
  times: number,
): ModelProgram {
  const b = new Builder();
  const g = new ModelGraph(ir, b);
  const noise = new NoiseInputs(b);
  const data = g.data(rows);
  const q = g.posteriors(data);
  const p = g.priors();
  const z = new Map<string, Sym>();
  const terms: Sym[] = [];
  for (const latent of ir.latents) {
    const qz = q.get(latent.name)!;
    const sample = g.draws(latent.name, qz, rows * times, noise);
    z.set(latent.name, sample);
    terms.push(p.get(latent.name)!.logProb(sample).sub(qz.logProb(sample)));
  }
  for (const [view, dist] of g.decoders(z)) {
    const x = data.get(view)!;
    terms.push(dist.logProb(x.tile([times, 1])));
  }
  const logW = terms.reduce((acc, s) => acc.add(s)).reshape([times, rows]);
  return finish(b, noise, { lse: logW.logsumexp(0) });
}
