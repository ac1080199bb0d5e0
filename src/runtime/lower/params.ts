// Turns a component's IR parameters into constrained tensors for its distribution: slices of network
// outputs, constants, learned variables; scales through softplus or exp(½·log σ²) with clamped
// log-variance (seed 002: predicting log σ² keeps σ positive; clamping keeps it finite).
import * as tf from "@tensorflow/tfjs";
import type { IrComponent, IrParam } from "../../compiler/ir/types.js";
import type { DistParams } from "../distributions/types.js";

/** Default bounds on log σ² when a distribution has no `clamp` option. */
export const DEFAULT_CLAMP: readonly [number, number] = [-10, 10];

function raw(
  p: IrParam,
  name: string,
  role: string,
  c: IrComponent,
  nodeOutput: (id: string) => tf.Tensor2D,
  vars: Map<string, tf.Variable>,
): tf.Tensor {
  if (p.kind === "const") return tf.fill([1, 1], p.value);
  if (p.kind === "learned") return vars.get(`${role}.${c.target}.${name}`)!;
  const out = nodeOutput(p.node);
  return p.offset === 0 && p.width === out.shape[1]
    ? out
    : tf.slice(out, [0, p.offset], [-1, p.width]);
}

export function positiveScale(
  rawScale: tf.Tensor,
  head: string,
  clamp: readonly number[],
): tf.Tensor {
  const [lo, hi] = clamp as [number, number];
  if (head === "logvar")
    return tf.exp(tf.mul(0.5, tf.clipByValue(rawScale, lo, hi)));
  return tf.clipByValue(
    tf.softplus(rawScale),
    Math.exp(lo / 2),
    Math.exp(hi / 2),
  );
}

export function constrainedParams(
  role: string,
  c: IrComponent,
  nodeOutput: (id: string) => tf.Tensor2D,
  vars: Map<string, tf.Variable>,
): DistParams {
  const out: DistParams = {};
  const head = String(c.dist.options["scale_head"] ?? "softplus");
  const clamp =
    (c.dist.options["clamp"] as number[] | undefined) ?? DEFAULT_CLAMP;
  for (const [name, p] of Object.entries(c.dist.params)) {
    const t = raw(p, name, role, c, nodeOutput, vars);
    out[name] =
      name === "scale" && p.kind !== "const"
        ? positiveScale(t, head, clamp)
        : t;
  }
  if (c.dist.family === "mixture_normal") {
    out["logits"] = vars.get(`${role}.${c.target}.logits`)!;
    out["loc"] = vars.get(`${role}.${c.target}.loc`)!;
    out["scale"] = positiveScale(
      vars.get(`${role}.${c.target}.scale`)!,
      "softplus",
      DEFAULT_CLAMP,
    );
  }
  return out;
}
