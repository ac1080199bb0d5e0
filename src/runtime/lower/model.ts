// Lowers an IR model to tfjs: variables plus the functions that encode, decode and compute the
// per-example ELBO terms. Reduction (README): recon and KL are summed over data and latent
// dimensions and over views/latents, then averaged over the batch; loss = mean(recon + β·KL).
import * as tf from "@tensorflow/tfjs";
import type { IrComponent, IrModel } from "../../compiler/ir/types.js";
import { makeDistribution } from "../distributions/index.js";
import { kl } from "../distributions/kl.js";
import type { Distribution } from "../distributions/types.js";
import { activate, dense } from "./dense.js";
import { constrainedParams } from "./params.js";
import { deriveSeed, Stream } from "./seeds.js";
import { createVariables } from "./variables.js";

/** View name → its values for a batch, [B, width] (a categorical view: [B, 1] class indices). */
export type Batch = Map<string, tf.Tensor2D>;

export interface Terms {
  /** −log p(x | z) per example, summed over the decoded views [B]. */
  recon: tf.Tensor1D;
  /** KL(q(z | x) ‖ p(z)) per example, summed over the latents [B]. */
  kl: tf.Tensor1D;
  /** q(z | x) and p(z) of every latent, and p(view | z) at the sampled z of every decoded view. */
  posteriors: Map<string, Distribution>;
  priors: Map<string, Distribution>;
  decoded: Map<string, Distribution>;
  reconByView: Map<string, tf.Tensor1D>;
  klByLatent: Map<string, tf.Tensor1D>;
}

export class LoweredModel {
  readonly variables: Map<string, tf.Variable>;
  /** Lookups derived from the IR once, not on every training step. */
  private readonly nodes: Map<string, IrModel["nodes"][number]>;
  private readonly klChoice: Map<string, IrModel["kl"][number]>;
  private readonly widths: Map<string, number>;

  constructor(
    readonly ir: IrModel,
    seed: number,
  ) {
    this.variables = createVariables(ir, seed);
    this.nodes = new Map(ir.nodes.map((n) => [n.id, n]));
    this.klChoice = new Map(ir.kl.map((k) => [k.latent, k]));
    this.widths = new Map([
      ...ir.latents.map((l): [string, number] => [l.name, l.width]),
      ...ir.views.map((v): [string, number] => [v.name, v.width]),
    ]);
  }

  /** Evaluates network nodes on demand for one pass; `env` holds the inputs (views or latents). */
  private runner(
    env: Map<string, tf.Tensor2D>,
    data: boolean,
  ): (id: string) => tf.Tensor2D {
    const memo = new Map<string, tf.Tensor2D>();
    const nodes = this.nodes;
    const run = (id: string): tf.Tensor2D => {
      const hit = memo.get(id);
      if (hit) return hit;
      const n = nodes.get(id)!;
      let out: tf.Tensor2D;
      if (n.op === "input") out = env.get(n.of)!;
      else if (n.op === "concat") out = tf.concat(n.inputs.map(run), 1);
      else {
        const inputNode = nodes.get(n.input)!;
        const x = run(n.input);
        const k = this.variables.get(`${n.id}.kernel`)!;
        const b = this.variables.get(`${n.id}.bias`)!;
        out = activate(
          dense(x, k, b, data && inputNode.op === "input"),
          n.activation,
        );
      }
      memo.set(id, out);
      return out;
    };
    return run;
  }

  private distribution(
    role: string,
    c: IrComponent,
    run: (id: string) => tf.Tensor2D,
    width: number,
  ): Distribution {
    return makeDistribution(
      c.dist.family,
      constrainedParams(role, c, run, this.variables),
      c.dist.options,
      width,
    );
  }

  latentWidth(name: string): number {
    return this.widths.get(name)!;
  }

  /** q(z | views) for every latent. */
  encode(batch: Batch): Map<string, Distribution> {
    const run = this.runner(batch, true);
    return new Map(
      this.ir.encoders.map((c) => [
        c.target,
        this.distribution("encoder", c, run, this.latentWidth(c.target)),
      ]),
    );
  }

  /**
   * q(z | views) with every per-example parameter repeated `times` times along the batch
   * (rows k·B + b): the encoder runs once, and one rsample draws `times` samples per example.
   */
  encodeTiled(batch: Batch, times: number): Map<string, Distribution> {
    const run = this.runner(batch, true);
    const rows = batch.values().next().value!.shape[0];
    return new Map(
      this.ir.encoders.map((c) => {
        const params = constrainedParams("encoder", c, run, this.variables);
        for (const [k, t] of Object.entries(params))
          if (t.shape[0] === rows && rows > 1)
            params[k] = tf.tile(t, [times, ...t.shape.slice(1).map(() => 1)]);
        return [
          c.target,
          makeDistribution(
            c.dist.family,
            params,
            c.dist.options,
            this.latentWidth(c.target),
          ),
        ];
      }),
    );
  }

  /** p(z) for every latent. */
  priors(): Map<string, Distribution> {
    const run = (): tf.Tensor2D => {
      throw new Error("a prior reads no network");
    };
    return new Map(
      this.ir.priors.map((c) => [
        c.target,
        this.distribution("prior", c, run, this.latentWidth(c.target)),
      ]),
    );
  }

  /** p(view | z) for every decoded view. */
  decode(z: Map<string, tf.Tensor2D>): Map<string, Distribution> {
    const run = this.runner(z, false);
    return new Map(
      this.ir.decoders.map((c) => [
        c.target,
        this.distribution("decoder", c, run, this.widths.get(c.target)!),
      ]),
    );
  }

  /** One reparameterized pass: z ~ q(z | x), the reconstruction and KL terms per example. */
  terms(batch: Batch, seed: number): Terms {
    const q = this.encode(batch);
    const p = this.priors();
    const z = new Map<string, tf.Tensor2D>();
    const klByLatent = new Map<string, tf.Tensor1D>();
    this.ir.latents.forEach((latent, i) => {
      const qz = q.get(latent.name)!;
      z.set(latent.name, qz.rsample(deriveSeed(seed, Stream.noise, i)));
      const choice = this.klChoice.get(latent.name)!;
      klByLatent.set(
        latent.name,
        kl(
          qz,
          p.get(latent.name)!,
          choice.method,
          choice.samples,
          deriveSeed(seed, Stream.klSamples, i),
        ),
      );
    });
    const decoded = this.decode(z);
    const reconByView = new Map<string, tf.Tensor1D>();
    for (const [view, dist] of decoded)
      reconByView.set(view, tf.neg(dist.logProb(batch.get(view)!)));
    const sum = (ts: Iterable<tf.Tensor1D>): tf.Tensor1D =>
      tf.addN([...ts]) as tf.Tensor1D;
    return {
      posteriors: q,
      priors: p,
      decoded,
      recon: sum(reconByView.values()),
      kl: sum(klByLatent.values()),
      reconByView,
      klByLatent,
    };
  }

  /** The training loss for a batch: mean over examples of recon + β·KL. */
  loss(
    batch: Batch,
    seed: number,
    beta: number,
  ): { loss: tf.Scalar; recon: tf.Scalar; kl: tf.Scalar } {
    const t = this.terms(batch, seed);
    const recon = tf.mean(t.recon) as tf.Scalar;
    const klMean = tf.mean(t.kl) as tf.Scalar;
    return {
      loss: tf.add(recon, tf.mul(beta, klMean)) as tf.Scalar,
      recon,
      kl: klMean,
    };
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
  }
}
