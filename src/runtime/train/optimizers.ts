// Optimizers with state that checkpoints save and restore exactly. Adam follows PyTorch's update
// (bias corrections computed in float64 from the step count, ε added to √v̂), so a resumed run
// repeats an uninterrupted one bit for bit; SGD and RMSProp wrap tfjs's implementations.
import * as tf from "@tensorflow/tfjs";
import type { IrTrain } from "../../compiler/ir/types.js";

export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

export interface TrainOptimizer {
  /** One update from gradients keyed by variable name (as tf.variableGrads returns them). */
  apply(grads: tf.NamedTensorMap): void;
  /** The state to checkpoint; the caller disposes it. */
  state(): Promise<NamedTensor[]>;
  restore(state: NamedTensor[]): Promise<void>;
  dispose(): void;
}

export class Adam implements TrainOptimizer {
  private t = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(
    private readonly variables: readonly tf.Variable[],
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    for (const x of variables) {
      this.m.set(x.name, tf.variable(tf.zerosLike(x), false));
      this.v.set(x.name, tf.variable(tf.zerosLike(x), false));
    }
  }

  apply(grads: tf.NamedTensorMap): void {
    this.t += 1;
    const stepSize = this.lr / (1 - this.beta1 ** this.t);
    const correction2 = Math.sqrt(1 - this.beta2 ** this.t);
    tf.tidy(() => {
      for (const x of this.variables) {
        const g = grads[x.name];
        if (g === undefined) continue;
        const m = this.m.get(x.name)!;
        const v = this.v.get(x.name)!;
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(
          tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)),
        );
        const denom = tf.add(tf.div(tf.sqrt(v), correction2), this.eps);
        x.assign(tf.sub(x, tf.mul(stepSize, tf.div(m, denom))));
      }
    });
  }

  async state(): Promise<NamedTensor[]> {
    const out: NamedTensor[] = [
      { name: "step", tensor: tf.tensor1d([this.t]) },
    ];
    for (const x of this.variables) {
      out.push({ name: `m/${x.name}`, tensor: this.m.get(x.name)!.clone() });
      out.push({ name: `v/${x.name}`, tensor: this.v.get(x.name)!.clone() });
    }
    return out;
  }

  async restore(state: NamedTensor[]): Promise<void> {
    const byName = new Map(state.map((s) => [s.name, s.tensor]));
    this.t = byName.get("step")!.dataSync()[0]!;
    this.variables.forEach((x, i) => {
      // Variable names differ between processes; the order of the variables does not.
      const m = state[1 + 2 * i]?.tensor;
      const v = state[2 + 2 * i]?.tensor;
      if (!m || !v || !tf.util.arraysEqual(m.shape, x.shape))
        throw new Error(
          `optimizer state does not match variable ${i} of the model`,
        );
      this.m.get(x.name)!.assign(m);
      this.v.get(x.name)!.assign(v);
    });
  }

  dispose(): void {
    tf.dispose([...this.m.values(), ...this.v.values()]);
  }
}

/** tfjs's SGD, momentum and RMSProp, whose state round-trips exactly through get/setWeights. */
class TfOptimizer implements TrainOptimizer {
  constructor(private readonly inner: tf.Optimizer) {}
  apply(grads: tf.NamedTensorMap): void {
    this.inner.applyGradients(grads);
  }
  async state(): Promise<NamedTensor[]> {
    // Copies, so the caller may dispose them (getWeights returns live variables).
    return (await this.inner.getWeights()).map((w) => ({
      name: w.name,
      tensor: w.tensor instanceof tf.Variable ? w.tensor.clone() : w.tensor,
    }));
  }
  async restore(state: NamedTensor[]): Promise<void> {
    await this.inner.setWeights(state);
  }
  dispose(): void {
    this.inner.dispose();
  }
}

export function makeOptimizer(
  train: IrTrain | null,
  variables: readonly tf.Variable[],
): TrainOptimizer {
  const o = train?.optimizer ?? { name: "adam", lr: 1e-3 };
  const num = (k: string, d: number): number =>
    typeof o[k] === "number" ? (o[k] as number) : d;
  if (o.name === "sgd")
    return new TfOptimizer(
      num("momentum", 0) > 0
        ? tf.train.momentum(o.lr, num("momentum", 0))
        : tf.train.sgd(o.lr),
    );
  if (o.name === "rmsprop")
    return new TfOptimizer(
      tf.train.rmsprop(
        o.lr,
        num("decay", 0.9),
        num("momentum", 0),
        num("eps", 1e-8),
      ),
    );
  return new Adam(
    variables,
    o.lr,
    num("beta1", 0.9),
    num("beta2", 0.999),
    num("eps", 1e-8),
  );
}
