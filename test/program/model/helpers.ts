// Shared helpers for the model-program tests: compiling a spec, host tensors as the float64
// interpreter's arrays, and the feeds of a training step (weights, zero optimizer slots, batch,
// noise drawn from a seed, β and the optimizer's host scalars).
import { expect } from "vitest";
import { compile } from "../../../src/compiler/driver.js";
import type { HostTensor } from "../../../src/engines/engine.js";
import type { IrModel } from "../../../src/ir/types.js";
import type { NdArray } from "../../../src/program/interpret.js";
import {
  slotName,
  type ModelProgram,
} from "../../../src/program/model/programs.js";
import type { OptimizerRule } from "../../../src/program/optimizers.js";
import { drawNoise } from "../../../src/runtime/random.js";

/** The one model of `spec`, which must compile without errors. */
export function compiled(spec: string): IrModel {
  const result = compile(spec, "test.vae");
  expect(
    result.diagnostics.filter((d) => d.severity === "error"),
    spec,
  ).toEqual([]);
  return result.models[0]!;
}

export const nd = (t: HostTensor): NdArray => ({
  shape: [...t.shape],
  data: Float64Array.from(t.data),
});

export const host = (
  shape: number[],
  values: ArrayLike<number>,
): HostTensor => ({
  shape,
  data: Float32Array.from(values),
});

export function ndAll(
  tensors: Record<string, HostTensor>,
): Record<string, NdArray> {
  return Object.fromEntries(
    Object.entries(tensors).map(([k, t]) => [k, nd(t)]),
  );
}

/** Every feed of a training step program at step 1, with zero optimizer slots. */
export function trainFeeds(
  ir: IrModel,
  p: ModelProgram,
  rule: OptimizerRule,
  weights: Record<string, HostTensor>,
  data: Record<string, HostTensor>,
  seed: number,
  beta: number,
): Record<string, NdArray> {
  const feeds: Record<string, NdArray> = {
    ...ndAll(weights),
    ...ndAll(drawNoise(p.noise, seed)),
    beta: { shape: [], data: Float64Array.of(beta) },
  };
  for (const [v, t] of Object.entries(data)) feeds[`data/${v}`] = nd(t);
  for (const [k, v] of Object.entries(rule.hostInputs(1, 1e-3)))
    feeds[`optimizer/${k}`] = { shape: [], data: Float64Array.of(v) };
  for (const t of ir.parameters)
    for (const s of rule.slots)
      feeds[slotName(s, t.name)] = {
        shape: [...t.shape],
        data: new Float64Array(t.shape.reduce((a, b) => a * b, 1)),
      };
  return feeds;
}

/** The smallest VAE spec: binary[data] views, a real[latent] latent, linear encoder and decoder. */
export function tinyVaeSpec(data: number, latent: number): string {
  return `model tiny {
  data x : binary[${data}]
  latent z : real[${latent}]
  prior p(z) = Normal(0, 1)
  encoder q(z | x) = DiagNormal(linear(x))
  decoder p(x | z) = Bernoulli(logits: linear(z))
}
train tiny {
  data = csv(path: "x.csv")
}`;
}
