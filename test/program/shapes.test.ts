// Static shape inference at build time: each op's shape rule rejects inputs that do not fit,
// with a message naming the op and the shapes; and Builder.build keeps only the nodes the
// outputs need (dead-code removal), renumbered in topological order.
import { describe, expect, it } from "vitest";
import { Builder, concat } from "../../src/program/builder.js";
import { interpret } from "../../src/program/interpret.js";
import { ProgramError } from "../../src/program/shapes.js";

describe("shape inference", () => {
  const b = new Builder();
  const m23 = b.input("m23", [2, 3]);
  const m34 = b.input("m34", [3, 4]);
  const v4 = b.input("v4", [4]);

  it("infers the shapes of well-formed ops", () => {
    expect(m23.add(b.input("r", [3])).shape).toEqual([2, 3]);
    expect(b.input("c", [2, 1]).mul(v4).shape).toEqual([2, 4]);
    expect(m23.matmul(m34).shape).toEqual([2, 4]);
    expect(m34.matmul(m23, { transA: true, transB: true }).shape).toEqual([
      4, 2,
    ]);
    expect(m34.sum([0], true).shape).toEqual([1, 4]);
    expect(m34.logsumexp().shape).toEqual([]);
    expect(m34.argmax(-1).shape).toEqual([3, 1]);
    expect(m34.slice([1, 1], [-1, 2]).shape).toEqual([2, 2]);
    expect(concat([m23, m23], 0).shape).toEqual([4, 3]);
    expect(m23.tile([2, 3]).shape).toEqual([4, 9]);
    expect(b.input("t", [2, 3, 4]).transpose([2, 0, 1]).shape).toEqual([
      4, 2, 3,
    ]);
    expect(v4.broadcastTo([3, 4]).shape).toEqual([3, 4]);
    expect(m23.greater(0).select(m23, 0).shape).toEqual([2, 3]);
  });

  it.each([
    [
      "add",
      () => m23.add(v4),
      /^add\(\[2, 3\], \[4\]\): shapes do not broadcast/,
    ],
    [
      "where",
      () => m23.select(v4, 0),
      /^where\(\[2, 3\], \[4\], \[\]\): shapes do not broadcast/,
    ],
    [
      "matmul inner",
      () => m23.matmul(m23),
      /^matmul\(\[2, 3\], \[2, 3\]\): inner sizes 3 and 2 differ/,
    ],
    ["matmul rank", () => v4.matmul(m34), /matmul takes 2-D operands/],
    [
      "reduce axis",
      () => m23.sum(2),
      /^sum\(\[2, 3\]\): axis 2 is not in \[0, 2\)/,
    ],
    ["repeated axis", () => m23.mean([1, -1]), /repeated axis/],
    ["argmax axis", () => v4.argmax(1), /axis 1 is not in \[0, 1\)/],
    [
      "reshape",
      () => m23.reshape([4, 2]),
      /^reshape\(\[2, 3\]\): cannot reshape to \[4, 2\]/,
    ],
    [
      "slice range",
      () => m23.slice([1, 1], [2, 1]),
      /axis 0: \[1, 3\) exceeds 2/,
    ],
    ["slice rank", () => m23.slice([0], [1]), /one entry per axis/],
    [
      "concat",
      () => concat([m23, m34], 0),
      /^concat\(\[2, 3\], \[3, 4\]\): inputs differ off axis 0/,
    ],
    ["tile", () => m23.tile([2]), /reps needs one entry per axis/],
    [
      "transpose",
      () => m23.transpose([0, 0]),
      /perm \[0, 0\] is not a permutation/,
    ],
    [
      "broadcast",
      () => m23.broadcastTo([3, 3]),
      /does not broadcast to \[3, 3\]/,
    ],
    [
      "broadcast rank",
      () => m23.broadcastTo([3]),
      /does not broadcast to \[3\]/,
    ],
  ])("rejects %s", (_what, make, message) => {
    expect(make).toThrow(ProgramError);
    expect(make).toThrow(message);
  });

  it("rejects conflicting leaves, bad constants and values of another builder", () => {
    expect(() => b.input("m23", [3, 2])).toThrow(
      /input 'm23' asked for as \[3, 2\] and \[2, 3\]/,
    );
    expect(b.input("m23", [2, 3]).id).toBe(m23.id);
    expect(() => b.constant([1, 2, 3], [2, 2])).toThrow(
      /3 values cannot have shape \[2, 2\]/,
    );
    const other = new Builder().input("x", [2, 3]);
    expect(() => m23.add(other)).toThrow(/another program/);
  });
});

describe("build", () => {
  it("keeps only what the outputs need, renumbered in topological order", () => {
    const b = new Builder();
    const x = b.input("x", [3]);
    const unusedInput = b.input("noise", [3]);
    const w = b.param("w", [3]);
    const unusedParam = b.param("v", [3]);
    const dead = unusedInput.exp().mul(unusedParam).sum();
    const y = x.mul(w).add(1).sum();
    const z = x.square();
    void dead;
    expect(b.nodes.length).toBe(12);
    const p = b.build({ y, z });
    // x, w, x·w, 1, +1, sum, x²: the noise/v branch is gone.
    expect(p.nodes.map((n) => n.op)).toEqual([
      "input",
      "param",
      "mul",
      "const",
      "add",
      "sum",
      "square",
    ]);
    p.nodes.forEach((n, i) => {
      expect(n.id).toBe(i);
      for (const j of n.inputs) expect(j).toBeLessThan(i);
    });
    expect(p.inputs.map((q) => q.name)).toEqual(["x"]);
    expect(p.params.map((q) => q.name)).toEqual(["w"]);
    expect(p.outputs).toEqual([
      { name: "y", id: 5, shape: [] },
      { name: "z", id: 6, shape: [3] },
    ]);
    // The pruned program needs no feed for the removed leaves.
    const f = (...v: number[]) => ({ shape: [3], data: Float64Array.from(v) });
    const out = interpret(p, { x: f(1, 2, 3), w: f(1, 0, -1) });
    expect([...out["y"]!.data]).toEqual([1]);
    expect([...out["z"]!.data]).toEqual([1, 4, 9]);
  });

  it("shares one node per scalar constant and returns an output that is a leaf", () => {
    const b = new Builder();
    const x = b.input("x", [2]);
    const y = x.add(2).mul(2);
    const p = b.build({ y, x });
    expect(p.nodes.filter((n) => n.op === "const")).toHaveLength(1);
    expect(p.outputs[1]).toEqual({ name: "x", id: 0, shape: [2] });
  });
});
