// A model of the IR as program values: posteriors q(z | views), priors p(z), likelihoods
// p(view | z), and the per-example ELBO terms. Reduction (README): recon and KL are summed over
// data and latent dimensions and over views/latents, per example; the ELBO is −(recon + KL).
import type { IrComponent, IrModel, IrNode } from "../../ir/types.js";
import { addAll, type Builder, type Sym } from "../builder.js";
import {
  makeDistribution,
  type DistParams,
  type Distribution,
} from "../distributions/index.js";
import { kl, klNoise } from "../kl.js";
import { NetworkPass, paramOf } from "./networks.js";
import type { NoiseInputs } from "./noise-inputs.js";
import { applyTransform } from "./transforms.js";

export interface Terms {
  /** −log p(x | z) per example, summed over the decoded views [B]. */
  recon: Sym;
  /** KL(q(z | x) ‖ p(z)) per example, summed over the latents [B]. */
  kl: Sym;
  reconByView: Map<string, Sym>;
  klByLatent: Map<string, Sym>;
  posteriors: Map<string, Distribution>;
  priors: Map<string, Distribution>;
  decoded: Map<string, Distribution>;
  /** The reparameterized sample of every latent [B, d]. */
  z: Map<string, Sym>;
}

export class ModelGraph {
  readonly param: (name: string) => Sym;
  private readonly nodes: ReadonlyMap<string, IrNode>;

  constructor(
    readonly ir: IrModel,
    readonly b: Builder,
  ) {
    this.param = paramOf(b, ir);
    this.nodes = new Map(ir.nodes.map((n) => [n.id, n]));
  }

  /** The data inputs `data/<view>` of a batch of `rows` examples. */
  data(rows: number): Map<string, Sym> {
    return new Map(
      this.ir.views.map((v) => [
        v.name,
        this.b.input(`data/${v.name}`, [rows, v.width]),
      ]),
    );
  }

  /** The distribution of a component, its parameters read from the pass, constants or params. */
  component(c: IrComponent, pass: NetworkPass | null): Distribution {
    const params: DistParams = {};
    for (const [name, p] of Object.entries(c.dist.params)) {
      if (p.kind === "const") {
        params[name] = this.b.constant([p.value], [1, 1]);
        continue;
      }
      let raw: Sym;
      if (p.kind === "learned") raw = this.param(p.tensor);
      else {
        if (pass === null)
          throw new Error(
            `${c.target}.${name} reads a network where none runs`,
          );
        raw = pass.node(p.node).columns(p.offset, p.width);
      }
      params[name] = applyTransform(raw, p.transform, c.size);
    }
    return makeDistribution(c.dist.family, params, c.size);
  }

  posteriors(data: ReadonlyMap<string, Sym>): Map<string, Distribution> {
    const pass = new NetworkPass(this.nodes, data, this.param);
    return new Map(
      this.ir.encoders.map((c) => [c.target, this.component(c, pass)]),
    );
  }

  priors(): Map<string, Distribution> {
    return new Map(
      this.ir.priors.map((c) => [c.target, this.component(c, null)]),
    );
  }

  decoders(z: ReadonlyMap<string, Sym>): Map<string, Distribution> {
    const pass = new NetworkPass(this.nodes, z, this.param);
    return new Map(
      this.ir.decoders.map((c) => [c.target, this.component(c, pass)]),
    );
  }

  /**
   * `rows` reparameterized draws of `latent` from its posterior (rows = S·B: S draws per example,
   * stacked as rows s·B + b), reading the noise `noise/<latent>/…`.
   */
  draws(
    latent: string,
    q: Distribution,
    rows: number,
    noise: NoiseInputs,
  ): Sym {
    if (q.rsample === undefined)
      throw new Error(
        `the posterior of ${latent} (${q.family}) has no reparameterized sample`,
      );
    return q.rsample(noise.take(latent, q.noise(rows)));
  }

  /** One reparameterized pass: z ~ q(z | x), the reconstruction and KL terms per example. */
  terms(data: ReadonlyMap<string, Sym>, noise: NoiseInputs): Terms {
    const q = this.posteriors(data);
    const p = this.priors();
    const z = new Map<string, Sym>();
    const klByLatent = new Map<string, Sym>();
    for (const latent of this.ir.latents) {
      const qz = q.get(latent.name)!;
      z.set(latent.name, this.draws(latent.name, qz, qz.batch, noise));
      const choice = this.ir.kl.find((k) => k.latent === latent.name)!;
      const pz = p.get(latent.name)!;
      const eps = noise.take(
        `kl/${latent.name}`,
        klNoise(qz, choice.method, choice.samples),
      );
      klByLatent.set(
        latent.name,
        kl(qz, pz, choice.method, choice.samples, eps),
      );
    }
    const decoded = this.decoders(z);
    const reconByView = new Map<string, Sym>();
    for (const [view, dist] of decoded)
      reconByView.set(view, dist.logProb(data.get(view)!).neg());
    return {
      recon: addAll([...reconByView.values()]),
      kl: addAll([...klByLatent.values()]),
      reconByView,
      klByLatent,
      posteriors: q,
      priors: p,
      decoded,
      z,
    };
  }
}
