// Seeded test cases for the tfjs executor: at least one small program per op of the program's op
// set, with broadcasting, keepDims, several axes, all four matmul flag combinations, and the
// structural ops. Inputs are float32-representable, so the float32 engine and the float64
// interpreter read the very same numbers.
import { Builder, concat, type Sym } from "../../../src/program/builder.js";
import {
  compareOps,
  type Program,
  type Shape,
} from "../../../src/program/graph.js";
import type { NdArray } from "../../../src/program/interpret.js";
import { fill } from "../../program/helpers/arrays.js";
import { structuralOps } from "../../program/helpers/ops.js";
import { Rng } from "../../program/helpers/random.js";

/**
 * How an input is drawn: "any": ±[0.2, 2] with a random sign (away from the kinks of abs, relu,
 * sign at 0); "positive": [0.2, 3] (the domain of log, sqrt, reciprocal); "ints": integers in
 * [−2, 2] (ties for max/argmax/equal); "cond": values in {0, 1, −2.5} (where's condition).
 */
export type Kind = "any" | "positive" | "ints" | "cond";
type Leaf = (name: string, shape: Shape, kind?: Kind) => Sym;

export interface OpCase {
  op: string;
  label: string;
  build: (x: Leaf) => Sym;
  /** The output has no gradient (comparisons, argmax, stop_gradient): tfjs must give zeros. */
  zeroGrad?: boolean;
  /** Inputs may sit on a kink (ties): the gradient is not compared with finite differences. */
  kinked?: boolean;
}

/** One draw of `kind`; "any" and "positive" rounded to float32. */
function draw(rng: Rng, kind: Kind): number {
  switch (kind) {
    case "any":
      return Math.fround(rng.signed(0.2, 2));
    case "positive":
      return Math.fround(rng.between(0.2, 3));
    case "ints":
      return Math.floor(5 * rng.uniform()) - 2;
    case "cond":
      return [0, 1, -2.5][Math.floor(3 * rng.uniform())]!;
  }
}

/** An array of `shape` of draws of `kind`. */
export const drawn = (rng: Rng, shape: Shape, kind: Kind = "any"): NdArray =>
  fill([...shape], () => draw(rng, kind));

/** A case's program (output "y") and seeded feeds for every input. */
export function instantiate(
  c: OpCase,
  seed: number,
): { program: Program; feeds: Record<string, NdArray> } {
  const rng = new Rng(seed);
  const b = new Builder();
  const feeds: Record<string, NdArray> = {};
  const leaf: Leaf = (name, shape, kind = "any") => {
    feeds[name] ??= drawn(rng, shape, kind);
    return b.input(name, shape);
  };
  return { program: b.build({ y: c.build(leaf) }), feeds };
}

const unary = (op: string, f: (x: Sym) => Sym, kind: Kind = "any"): OpCase => ({
  op,
  label: `${op} [2, 3]`,
  build: (x) => f(x("a", [2, 3], kind)),
});

/** Broadcasting pairs for the elementwise binary ops. */
const pairs: [Shape, Shape][] = [
  [
    [2, 3],
    [2, 3],
  ],
  [[2, 3], [3]],
  [
    [2, 1],
    [1, 3],
  ],
  [[], [2, 3]],
];

function binaryCases(
  op: string,
  f: (a: Sym, b: Sym) => Sym,
  kind: Kind,
  extra: Partial<OpCase> = {},
): OpCase[] {
  return pairs.map(([sa, sb]) => ({
    op,
    label: `${op} [${sa.join(", ")}] with [${sb.join(", ")}]`,
    build: (x) =>
      f(x("a", sa, kind), x("b", sb, kind === "positive" ? "positive" : kind)),
    ...extra,
  }));
}

function reduceCases(
  op: string,
  f: (x: Sym, axes: number[], keep: boolean) => Sym,
): OpCase[] {
  const at: [number[], boolean][] = [
    [[1], false],
    [[0, 2], true],
    [[0, 1, 2], false],
  ];
  return [
    ...at.map(([axes, keep]) => ({
      op,
      label: `${op} over [${axes.join(", ")}] keepDims ${keep}`,
      build: (x: Leaf) => f(x("a", [2, 3, 4]), axes, keep),
    })),
    {
      op,
      label: `${op} of a scalar`,
      build: (x: Leaf) => f(x("a", []), [], false),
    },
  ];
}

const matmuls: OpCase[] = [false, true].flatMap((transA) =>
  [false, true].map((transB) => ({
    op: "matmul",
    label: `matmul transA ${transA} transB ${transB}`,
    build: (x: Leaf) =>
      x("a", transA ? [5, 3] : [3, 5]).matmul(
        x("b", transB ? [4, 5] : [5, 4]),
        { transA, transB },
      ),
  })),
);

export const cases: OpCase[] = [
  unary("neg", (a) => a.neg()),
  unary("exp", (a) => a.exp()),
  unary("log", (a) => a.log(), "positive"),
  unary("log1p", (a) => a.log1p(), "positive"),
  unary("expm1", (a) => a.expm1()),
  unary("softplus", (a) => a.softplus()),
  unary("sigmoid", (a) => a.sigmoid()),
  unary("tanh", (a) => a.tanh()),
  unary("relu", (a) => a.relu()),
  unary("elu", (a) => a.elu()),
  unary("square", (a) => a.square()),
  unary("sqrt", (a) => a.sqrt(), "positive"),
  unary("abs", (a) => a.abs()),
  unary("sign", (a) => a.sign()),
  unary("reciprocal", (a) => a.reciprocal(), "positive"),
  { ...unary("stop_gradient", (a) => a.stopGradient()), zeroGrad: true },
  unary("leaky_relu", (a) => a.leakyRelu(0.2)),
  unary("clip", (a) => a.clip(-0.9, 1.3)),
  ...binaryCases("add", (a, b) => a.add(b), "any"),
  ...binaryCases("sub", (a, b) => a.sub(b), "any"),
  ...binaryCases("mul", (a, b) => a.mul(b), "any"),
  ...binaryCases("div", (a, b) => a.div(b), "positive"),
  ...binaryCases("less", (a, b) => a.less(b), "ints", { zeroGrad: true }),
  ...binaryCases("greater", (a, b) => a.greater(b), "ints", { zeroGrad: true }),
  ...binaryCases("equal", (a, b) => a.equal(b), "ints", { zeroGrad: true }),
  {
    op: "where",
    label: "where, a [2, 1] condition broadcast against [2, 3] and [3]",
    build: (x) => x("c", [2, 1], "cond").select(x("a", [2, 3]), x("b", [3])),
  },
  {
    op: "where",
    label:
      "where, the condition a comparison of an input (on the gradient path)",
    build: (x) =>
      x("c", [2, 3])
        .greater(0)
        .select(x("a", [2, 3]), 0.5),
  },
  ...matmuls,
  ...reduceCases("sum", (a, axes, k) => a.sum(axes, k)),
  ...reduceCases("mean", (a, axes, k) => a.mean(axes, k)),
  ...reduceCases("max", (a, axes, k) => a.max(axes, k)),
  {
    op: "max",
    label: "max with ties",
    build: (x) => x("a", [3, 4], "ints").max(1),
    kinked: true,
  },
  ...reduceCases("logsumexp", (a, axes, k) => a.logsumexp(axes, k)),
  {
    op: "argmax",
    label: "argmax axis 1, ties",
    build: (x) => x("a", [4, 5], "ints").argmax(1),
    zeroGrad: true,
  },
  {
    op: "argmax",
    label: "argmax axis 0",
    build: (x) => x("a", [3, 2, 4]).argmax(0),
    zeroGrad: true,
  },
  {
    op: "reshape",
    label: "reshape [2, 6] → [3, 4]",
    build: (x) => x("a", [2, 6]).reshape([3, 4]),
  },
  {
    op: "reshape",
    label: "reshape [1] → []",
    build: (x) => x("a", [1]).reshape([]),
  },
  {
    op: "slice",
    label: "slice",
    build: (x) => x("a", [4, 5]).slice([1, 2], [2, -1]),
  },
  {
    op: "concat",
    label: "concat of three along axis 1",
    build: (x) => concat([x("a", [2, 1]), x("b", [2, 3]), x("c", [2, 2])], 1),
  },
  {
    op: "tile",
    label: "tile [2, 3] by [2, 1]",
    build: (x) => x("a", [2, 3]).tile([2, 1]),
  },
  {
    op: "transpose",
    label: "transpose [2, 3, 4] by [2, 0, 1]",
    build: (x) => x("a", [2, 3, 4]).transpose([2, 0, 1]),
  },
  {
    op: "broadcast",
    label: "broadcast [3] → [2, 3]",
    build: (x) => x("a", [3]).broadcastTo([2, 3]),
  },
  {
    op: "broadcast",
    label: "broadcast [2, 1] → [3, 2, 4]",
    build: (x) => x("a", [2, 1]).broadcastTo([3, 2, 4]),
  },
];

/** Ops whose results are exact in float32 given float32 inputs (selections, comparisons, moves). */
export const exactOps = new Set<string>([
  "neg",
  "abs",
  "sign",
  "relu",
  "stop_gradient",
  "clip",
  ...compareOps,
  "where",
  "max",
  "argmax",
  ...structuralOps,
]);
