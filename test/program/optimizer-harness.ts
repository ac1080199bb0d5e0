// The optimizer test's harness: seeded gradients, the update program of a rule for a set of
// parameters, a trajectory of steps run by the interpreter or the tfjs executor, and the update
// formulas as a plain float64 loop (PyTorch's torch.optim documentation) to compare with.
import * as tf from "@tensorflow/tfjs";
import { expect } from "vitest";
import { TfjsProgram } from "../../src/engines/tfjs/execute.js";
import { Builder, type Sym } from "../../src/program/builder.js";
import type { Program } from "../../src/program/graph.js";
import { interpret, type NdArray } from "../../src/program/interpret.js";
import {
  optimizerRule,
  type OptimizerRule,
  type OptimizerSettings,
} from "../../src/program/optimizers.js";
import { upload } from "../engines/tfjs/helpers.js";
import { size } from "./helpers/arrays.js";
import { Rng } from "./helpers/random.js";

export type State = Record<string, Float64Array>;
export type Shapes = Record<string, number[]>;
export const SHAPES: Shapes = { w: [3, 2], b: [4] };
export const STEPS = 5;

/** Seeded gradients per step, ±[0.2, 2], float32-representable (the tfjs runs read the same). */
export function gradients(seed: number): State[] {
  const rng = new Rng(seed);
  const draw = (): number => Math.fround(rng.signed(0.2, 2));
  return Array.from({ length: STEPS }, () =>
    Object.fromEntries(
      Object.entries(SHAPES).map(([n, s]) => [
        n,
        Float64Array.from({ length: size(s) }, draw),
      ]),
    ),
  );
}

/** One update of every parameter: inputs p, g/p, slot/p and the host scalars; outputs p and slot/p. */
function updateProgram(rule: OptimizerRule, shapes: Shapes): Program {
  const b = new Builder();
  const h = Object.fromEntries(
    Object.keys(rule.hostInputs(1, 1)).map((k) => [k, b.input(k, [])]),
  );
  const outputs: Record<string, Sym> = {};
  for (const [name, shape] of Object.entries(shapes)) {
    const slots = Object.fromEntries(
      rule.slots.map((s) => [s, b.input(`${s}/${name}`, shape)]),
    );
    const next = rule.update(
      b.param(name, shape),
      b.input(`g/${name}`, shape),
      slots,
      h,
    );
    outputs[name] = next.param;
    for (const s of rule.slots) outputs[`${s}/${name}`] = next.slots[s]!;
  }
  return b.build(outputs);
}

/** Parameters first, first + 0.25, ... and zero slots. */
export function initial(
  rule: OptimizerRule,
  shapes: Shapes = SHAPES,
  first = 0.5,
): State {
  const st: State = {};
  for (const [name, shape] of Object.entries(shapes)) {
    const n = size(shape);
    st[name] = Float64Array.from({ length: n }, (_, i) =>
      Math.fround(first + 0.25 * i),
    );
    for (const s of rule.slots) st[`${s}/${name}`] = new Float64Array(n);
  }
  return st;
}

/** Runs the update program with `run` for every step; returns the state after each step. */
export function trajectory(
  o: OptimizerSettings,
  grads: State[],
  run: (p: Program, feeds: Record<string, NdArray>) => State,
  shapes: Shapes = SHAPES,
  first = 0.5,
): State[] {
  const rule = optimizerRule(o);
  const program = updateProgram(rule, shapes);
  let st = initial(rule, shapes, first);
  return grads.map((g, t) => {
    const feeds: Record<string, NdArray> = {};
    const shapeOf = (k: string): number[] => shapes[k.split("/").pop()!]!;
    for (const [k, v] of Object.entries(st))
      feeds[k] = { shape: shapeOf(k), data: v };
    for (const [k, v] of Object.entries(g))
      feeds[`g/${k}`] = { shape: shapes[k]!, data: v };
    for (const [k, v] of Object.entries(rule.hostInputs(t + 1, o.lr)))
      feeds[k] = { shape: [], data: Float64Array.of(v) };
    st = run(program, feeds);
    return st;
  });
}

export const interpreted = (
  p: Program,
  feeds: Record<string, NdArray>,
): State =>
  Object.fromEntries(
    Object.entries(interpret(p, feeds)).map(([k, v]) => [k, v.data]),
  );

/** One element's update in plain float64, as PyTorch's torch.optim documents it. */
function scalarUpdate(
  o: OptimizerSettings,
  step: number,
  p: number,
  g: number,
  s: Record<string, number>,
): number {
  if (o.name === "adam") {
    s["m"] = o.beta1 * s["m"]! + (1 - o.beta1) * g;
    s["v"] = o.beta2 * s["v"]! + (1 - o.beta2) * g * g;
    const mHat = s["m"] / (1 - o.beta1 ** step);
    const vHat = s["v"] / (1 - o.beta2 ** step);
    return p - (o.lr * mHat) / (Math.sqrt(vHat) + o.eps);
  }
  let d = g;
  if (o.name === "rmsprop") {
    s["v"] = o.decay * s["v"]! + (1 - o.decay) * g * g;
    d = g / (Math.sqrt(s["v"]) + o.eps);
  }
  if (o.momentum === 0) return p - o.lr * d;
  s["buf"] = o.momentum * s["buf"]! + d;
  return p - o.lr * s["buf"];
}

/** The formulas as a plain float64 loop over the elements. */
export function reference(o: OptimizerSettings, grads: State[]): State[] {
  const slots = optimizerRule(o).slots;
  const st = initial(optimizerRule(o));
  return grads.map((g, t) => {
    for (const name of Object.keys(SHAPES))
      st[name]!.forEach((p, i) => {
        const s = Object.fromEntries(
          slots.map((k) => [k, st[`${k}/${name}`]![i]!]),
        );
        st[name]![i] = scalarUpdate(o, t + 1, p, g[name]![i]!, s);
        for (const k of slots) st[`${k}/${name}`]![i] = s[k]!;
      });
    return Object.fromEntries(
      Object.entries(st).map(([k, v]) => [k, Float64Array.from(v)]),
    );
  });
}

/** The largest |a − b| / |b| over every entry of every state tensor (b ≠ 0 entries; else |a − b|). */
export function worst(a: State, b: State): number {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  let e = 0;
  for (const k of Object.keys(b))
    b[k]!.forEach(
      (v, i) =>
        (e = Math.max(
          e,
          Math.abs(a[k]![i]! - v) / (v === 0 ? 1 : Math.abs(v)),
        )),
    );
  return e;
}

/** Runs a program with the tfjs executor on float32 copies of the feeds. */
export function tfjsRun(p: Program, feeds: Record<string, NdArray>): State {
  const exe = new TfjsProgram(p);
  const xs = upload(feeds);
  const out = exe.run(xs);
  const st = Object.fromEntries(
    [...out].map(([k, t]) => [k, Float64Array.from(t.dataSync())]),
  );
  tf.dispose([...out.values(), ...xs.values()]);
  exe.dispose();
  return st;
}
