// Whole-program tests of the tfjs executor, run once per backend by execute.test.ts: a small
// network against the interpreter, its reverse-mode gradient program against tfjs's autodiff, tensor lifetimes (no leaks, constants freed by dispose,
// outputs that are feeds or constants or repeats are the caller's own copies, intermediates freed
// as soon as their last user has run), preparation inside tf.tidy, and the errors for bad feeds.
import * as tf from "@tensorflow/tfjs";
import { expect, it } from "vitest";
import { TfjsProgram } from "../../../src/engines/tfjs/execute.js";
import { gradients } from "../../../src/program/autodiff.js";
import { Builder } from "../../../src/program/builder.js";
import type { Program } from "../../../src/program/graph.js";
import { interpret, type NdArray } from "../../../src/program/interpret.js";
import { Rng } from "../../program/helpers/random.js";
import { drawn } from "./cases.js";
import { upload, worst } from "./helpers.js";

/**
 * A two-layer network's log-softmax cross-entropy, with a masked term and a few extra outputs;
 * or, `withGradients`, the loss and its gradient by the program's reverse-mode AD.
 */
function network(withGradients = false): {
  program: Program;
  feeds: Record<string, NdArray>;
} {
  const rng = new Rng(7);
  const feeds: Record<string, NdArray> = {};
  const b = new Builder();
  const leaf = (name: string, shape: number[], param = false) => {
    feeds[name] = drawn(rng, shape);
    return param ? b.param(name, shape) : b.input(name, shape);
  };
  const x = leaf("x", [6, 5]);
  const w1 = leaf("w1", [5, 4], true);
  const b1 = leaf("b1", [4], true);
  const w2 = leaf("w2", [3, 4], true);
  const h = x.matmul(w1).add(b1).relu();
  const logits = h.matmul(w2, { transB: true });
  const lp = logits.logSoftmax(1);
  // A mask from a comparison of the data, and a where on it: rows with x₀ > 0 count double.
  const weight = x.slice([0, 0], [6, 1]).greater(0).select(2, 1);
  const loss = lp.columns(0, 1).mul(weight).mean().neg();
  if (withGradients) {
    const [dw1, db1, dw2] = gradients(loss, [w1, b1, w2]);
    const program = b.build({ loss, w1: dw1!, b1: db1!, w2: dw2! });
    return { program, feeds };
  }
  const program = b.build({
    loss,
    again: loss,
    w1,
    c: b.constant([1, 2, 3], [3]),
    guess: logits.argmax(1),
  });
  return { program, feeds };
}

export function compositeTests(): void {
  it("runs a small network as the interpreter does", () => {
    const { program, feeds } = network();
    const want = interpret(program, feeds);
    const p = new TfjsProgram(program);
    const xs = upload(feeds);
    const out = p.run(xs);
    expect([...out.keys()]).toEqual(["loss", "again", "w1", "c", "guess"]);
    for (const [name, t] of out) {
      expect(t.shape, name).toEqual(want[name]!.shape);
      const got = [...t.dataSync()];
      // float32 against float64 over a 5- and 4-term network: 1e-5 relative (see VALUE_TOL).
      got.forEach((v, k) =>
        expect(
          Math.abs(v - want[name]!.data[k]!),
          `${name}[${k}]`,
        ).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want[name]!.data[k]!))),
      );
    }
    tf.dispose([...out.values(), ...xs.values()]);
    p.dispose();
  });

  it("runs the network's reverse-mode gradient program as tfjs's autodiff differentiates it", () => {
    const forward = new TfjsProgram(network().program);
    const { program, feeds } = network(true);
    const backward = new TfjsProgram(program);
    const xs = upload(feeds);
    const ours = backward.run(xs);
    const params = ["w1", "b1", "w2"];
    // tfjs's tape through the forward run, with respect to the same three tensors.
    const theirs = tf.grads((...ps: tf.Tensor[]) => {
      const fed = new Map(xs);
      params.forEach((n, j) => fed.set(n, ps[j]!));
      return forward.run(fed).get("loss")!;
    })(params.map((n) => xs.get(n)!));
    const want = interpret(program, feeds);
    params.forEach((n, j) => {
      const got = ours.get(n)!.dataSync();
      // Two float32 evaluations of the same chain rule (sums of ≤ 6 terms): 1e-5 relative.
      expect(
        worst(got, theirs[j]!.dataSync()),
        `d/${n} against tf.grads`,
      ).toBeLessThanOrEqual(1e-5);
      expect(
        worst(got, want[n]!.data),
        `d/${n} against float64`,
      ).toBeLessThanOrEqual(1e-5);
      expect(
        Math.max(...got.map(Math.abs)),
        `d/${n} is not all zero`,
      ).toBeGreaterThan(1e-3);
    });
    tf.dispose([...ours.values(), ...theirs, ...xs.values()]);
    forward.dispose();
    backward.dispose();
  });

  it("leaks no tensor: outputs are the caller's, constants go with dispose()", () => {
    const { program, feeds } = network();
    const xs = upload(feeds);
    const start = tf.memory().numTensors;
    const p = new TfjsProgram(program);
    const constants = program.nodes.filter((n) => n.op === "const").length;
    expect(constants).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(start + constants);
    for (let i = 0; i < 3; i++) {
      const out = p.run(xs);
      // The output w1 is a copy of the feed, "again" a copy of "loss": disposing them leaves
      // the feed and the other output alive.
      expect(out.get("w1")).not.toBe(xs.get("w1"));
      expect(out.get("again")).not.toBe(out.get("loss"));
      tf.dispose(out.get("w1")!);
      tf.dispose(out.get("again")!);
      expect(xs.get("w1")!.isDisposed).toBe(false);
      expect(out.get("loss")!.dataSync()[0]).toBeTypeOf("number");
      tf.dispose([...out.values()]);
      expect(tf.memory().numTensors).toBe(start + constants);
    }
    p.dispose();
    expect(tf.memory().numTensors).toBe(start);
    expect(() => p.run(xs)).toThrow(/disposed/);
    tf.dispose([...xs.values()]);
  });

  it("frees each intermediate after its last user: a 40-op chain peaks at a few tensors", async () => {
    const b = new Builder();
    let y = b.input("x", [128, 128]);
    for (let i = 0; i < 40; i++) y = y.mul(0.99).tanh();
    const p = new TfjsProgram(b.build({ y }));
    const x = tf.ones([128, 128]);
    const bytes = 128 * 128 * 4;
    const info = await tf.profile(() => {
      p.run(new Map([["x", x]]))
        .get("y")!
        .dispose();
    });
    // Live at once: the feed, an op's input and its output, plus the scalar constant; holding
    // every intermediate would peak at 80 tensors' worth.
    expect(info.peakBytes).toBeLessThanOrEqual(4 * bytes);
    expect(info.newTensors).toBe(0);
    x.dispose();
    p.dispose();
  });

  it("can be prepared inside tf.tidy and run after it", () => {
    const b = new Builder();
    const y = b.input("x", [2]).mul(b.constant([3, 4], [2]));
    let prepared: TfjsProgram | undefined;
    tf.tidy(() => {
      prepared = new TfjsProgram(b.build({ y }));
    });
    const p = prepared!;
    const x = tf.tensor([1, 2]);
    const out = p.run(new Map([["x", x]])).get("y")!;
    expect([...out.dataSync()]).toEqual([3, 8]);
    tf.dispose([x, out]);
    p.dispose();
  });

  it("names a missing, mis-shaped or non-float feed, leaving no tensor behind", () => {
    const b = new Builder();
    const y = b
      .input("x", [2, 3])
      .exp()
      .add(b.param("w", [3]));
    const p = new TfjsProgram(b.build({ y }));
    const x = tf.zeros([2, 3]);
    const start = tf.memory().numTensors;
    expect(() => p.run(new Map([["x", x]]))).toThrow(/no value fed for 'w'/);
    const bad = tf.zeros([2]);
    expect(() =>
      p.run(
        new Map([
          ["x", x],
          ["w", bad],
        ]),
      ),
    ).toThrow(/'w' was fed as \[2\], the program reads \[3\]/);
    const ints = tf.zeros([3], "int32");
    expect(() =>
      p.run(
        new Map([
          ["x", x],
          ["w", ints],
        ]),
      ),
    ).toThrow(/int32/);
    expect(tf.memory().numTensors).toBe(start + 2);
    tf.dispose([x, bad, ints]);
    p.dispose();
  });
}
