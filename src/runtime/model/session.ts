// A model bound to an engine: the programs it runs (built once per shape and cached), the noise
// they read (drawn from the run's seed), and the state the engine holds — learned tensors and
// optimizer slots. Training, evaluation, sampling and sweeps use this, never an engine's tensors.
import type { Engine, HostTensor } from "../../engines/engine.js";
import type { IrModel } from "../../ir/types.js";
import {
  encodeProgram,
  decodeProgram,
  predictiveProgram,
  priorSampleProgram,
} from "../../program/model/explore.js";
import {
  evalChunkProgram,
  importanceProgram,
  slotName,
  trainStepProgram,
  type ModelProgram,
} from "../../program/model/programs.js";
import { optimizerRule, type OptimizerRule } from "../../program/optimizers.js";
import type { Batch } from "../data/batches.js";
import { drawNoise } from "../random.js";
import { initialWeights } from "./initial-weights.js";

/** A named tensor as checkpoints store it. */
export interface NamedValues {
  name: string;
  shape: number[];
  values: Float32Array;
}

const rowsOf = (batch: Batch): number => batch.values().next().value!.shape[0]!;

export class ModelSession {
  private readonly programs = new Map<string, ModelProgram>();
  private ruleCache: OptimizerRule | undefined;
  /** Optimizer steps taken (Adam's t). */
  private steps = 0;

  constructor(
    readonly ir: IrModel,
    readonly engine: Engine,
  ) {}

  /** A session with the IR's initial weights for `seed` and zero optimizer state. */
  static create(ir: IrModel, engine: Engine, seed: number): ModelSession {
    const s = new ModelSession(ir, engine);
    engine.setState(initialWeights(ir, seed));
    return s;
  }

  private get rule(): OptimizerRule {
    if (this.ir.train === null)
      throw new Error(`model ${this.ir.model} has no train block`);
    this.ruleCache ??= optimizerRule(this.ir.train.optimizer);
    return this.ruleCache;
  }

  private cached(key: string, build: () => ModelProgram): ModelProgram {
    let p = this.programs.get(key);
    if (p === undefined) {
      p = build();
      this.programs.set(key, p);
    }
    return p;
  }

  private run(
    p: ModelProgram,
    feeds: Record<string, HostTensor>,
    seed: number,
  ): Promise<Record<string, HostTensor>> {
    return this.engine.run(
      p.program,
      { ...feeds, ...drawNoise(p.noise, seed) },
      p.updates,
    );
  }

  private static dataFeeds(batch: Batch): Record<string, HostTensor> {
    return Object.fromEntries([...batch].map(([v, t]) => [`data/${v}`, t]));
  }

  /** Zero optimizer slots for every learned tensor that has none yet. */
  private ensureSlots(): void {
    for (const p of this.ir.parameters)
      for (const s of this.rule.slots) {
        const name = slotName(s, p.name);
        if (!this.engine.hasState(name))
          this.engine.setState({
            [name]: {
              shape: p.shape,
              data: new Float32Array(p.shape.reduce((a, b) => a * b, 1)),
            },
          });
      }
  }

  /** One optimizer step on `batch`; returns [loss, mean recon, mean KL] before the update. */
  async trainStep(
    batch: Batch,
    seed: number,
    beta: number,
    lr: number,
  ): Promise<Float32Array> {
    const rows = rowsOf(batch);
    const p = this.cached(`train:${rows}`, () =>
      trainStepProgram(this.ir, rows, this.rule),
    );
    this.ensureSlots();
    this.steps += 1;
    const host = this.rule.hostInputs(this.steps, lr);
    const feeds: Record<string, HostTensor> = {
      ...ModelSession.dataFeeds(batch),
      beta: scalar(beta),
    };
    for (const [k, v] of Object.entries(host))
      feeds[`optimizer/${k}`] = scalar(v);
    return (await this.run(p, feeds, seed))["stats"]!.data;
  }

  /** Per-example ELBO terms, posterior means, per-dimension KL and correct counts of a chunk. */
  evalChunk(batch: Batch, seed: number): Promise<Record<string, HostTensor>> {
    const rows = rowsOf(batch);
    const p = this.cached(`eval:${rows}`, () =>
      evalChunkProgram(this.ir, rows),
    );
    return this.run(p, ModelSession.dataFeeds(batch), seed);
  }

  /** log Σ_k w_k over `times` importance samples per example [rows]. */
  async importance(
    batch: Batch,
    times: number,
    seed: number,
  ): Promise<Float32Array> {
    const rows = rowsOf(batch);
    const p = this.cached(`iw:${rows}:${times}`, () =>
      importanceProgram(this.ir, rows, times),
    );
    return (await this.run(p, ModelSession.dataFeeds(batch), seed))["lse"]!
      .data;
  }

  /** Correct counts of categorical views with one and with S averaged posterior samples. */
  predictive(
    batch: Batch,
    samples: number,
    seed: number,
  ): Promise<Record<string, HostTensor>> {
    const rows = rowsOf(batch);
    const p = this.cached(`pred:${rows}:${samples}`, () =>
      predictiveProgram(this.ir, rows, samples),
    );
    return this.run(p, ModelSession.dataFeeds(batch), seed);
  }

  /** Posterior means mean/<latent> and the reconstructions at them, recon/<view>. */
  encode(batch: Batch): Promise<Record<string, HostTensor>> {
    const rows = rowsOf(batch);
    const p = this.cached(`encode:${rows}`, () => encodeProgram(this.ir, rows));
    return this.run(p, ModelSession.dataFeeds(batch), 0);
  }

  /** Likelihood means mean/<view> at the given latents (each [n, d]). */
  decode(z: Record<string, HostTensor>): Promise<Record<string, HostTensor>> {
    const n = Object.values(z)[0]!.shape[0]!;
    const p = this.cached(`decode:${n}`, () => decodeProgram(this.ir, n));
    return this.run(
      p,
      Object.fromEntries(Object.entries(z).map(([k, t]) => [`z/${k}`, t])),
      0,
    );
  }

  /** `n` prior draws z/<latent> and their decoded means mean/<view>. */
  priorSample(n: number, seed: number): Promise<Record<string, HostTensor>> {
    const p = this.cached(`prior:${n}`, () => priorSampleProgram(this.ir, n));
    return this.run(p, {}, seed);
  }

  /** The learned tensors, in the IR's order. */
  weights(): NamedValues[] {
    const got = this.engine.getState(this.ir.parameters.map((p) => p.name));
    return this.ir.parameters.map((p) => ({
      name: p.name,
      shape: [...p.shape],
      values: got[p.name]!.data,
    }));
  }

  setWeights(values: readonly NamedValues[]): void {
    this.engine.setState(
      Object.fromEntries(
        values.map((v) => [v.name, { shape: v.shape, data: v.values }]),
      ),
    );
  }

  /** The optimizer's state: `step`, then each parameter's slots (e.g. m/<name>, v/<name>). */
  optimizerState(): NamedValues[] {
    this.ensureSlots();
    const names = this.ir.parameters.flatMap((p) =>
      this.rule.slots.map((s) => slotName(s, p.name)),
    );
    const got = this.engine.getState(names);
    return [
      { name: "step", shape: [1], values: Float32Array.of(this.steps) },
      ...names.map((n) => ({
        name: n,
        shape: [...got[n]!.shape],
        values: got[n]!.data,
      })),
    ];
  }

  setOptimizerState(state: readonly NamedValues[]): void {
    const step = state.find((s) => s.name === "step");
    this.steps = step === undefined ? 0 : step.values[0]!;
    this.engine.setState(
      Object.fromEntries(
        state
          .filter((s) => s.name !== "step")
          .map((s) => [s.name, { shape: s.shape, data: s.values }]),
      ),
    );
  }

  dispose(): void {
    this.engine.dispose();
  }
}

function scalar(v: number): HostTensor {
  return { shape: [], data: Float32Array.of(v) };
}
