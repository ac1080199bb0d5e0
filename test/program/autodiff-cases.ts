// The gradient-check cases of test/program/autodiff.test.ts: for every computing op of the
// program, one or more small functions of seeded random leaves, with inputs drawn away from the
// op's kinks (abs/relu/sign at 0, clip bounds, max ties) and inside its domain (log, sqrt,
// reciprocal), so that central finite differences are a valid reference.
import { concat, type Builder, type Sym } from "../../src/program/builder.js";
import {
  binaryOps,
  compareOps,
  reduceOps,
  unaryOps,
  type NodeSpec,
  type UnaryOp,
} from "../../src/program/graph.js";
import type { DiffOp } from "../../src/program/vjp.js";
import type { Rng } from "./helpers/random.js";

export type Draw = (rng: Rng) => number;
const normal: Draw = (r) => r.normal();
const wide: Draw = (r) => 3 * r.normal();
/** Uniform on (lo, hi). */
const within =
  (lo: number, hi: number): Draw =>
  (r) =>
    r.between(lo, hi);
/** |x| uniform on (lo, hi) with a random sign: away from the kink at 0. */
const away =
  (lo: number, hi: number): Draw =>
  (r) =>
    r.signed(lo, hi);
/** One of the given values (0/1 conditions, integer ties for equal). */
const oneOf =
  (...vs: number[]): Draw =>
  (r) =>
    vs[Math.floor(r.uniform() * vs.length)]!;
/** Values at least 0.1 away from the clip bounds ±0.5. */
const clipSafe: Draw = (r) =>
  oneOf(-1, 0, 1)(r) === 0 ? r.between(-0.4, 0.4) : away(0.6, 1.5)(r);

export interface Leaf {
  shape: number[];
  draw?: Draw;
}

export interface Case {
  op: DiffOp;
  label: string;
  leaves: Record<string, Leaf>;
  f: (v: Record<string, Sym>, b: Builder) => Sym;
  /** The leaves differentiated (all when omitted). */
  wrt?: string[];
  /**
   * The function whose central differences the gradient must match, when it is not f: for
   * stop_gradient, f with the stopped value read from `frozen` (the unperturbed leaves).
   */
  fd?: (v: Record<string, Sym>, frozen: Record<string, Sym>, b: Builder) => Sym;
}

const node = (b: Builder, spec: NodeSpec, xs: Sym[]): Sym => b.node(spec, xs);
const leaf = (shape: number[], draw?: Draw): Leaf => ({ shape, draw });

const unaryDraws: Record<UnaryOp, Draw> = {
  neg: normal,
  exp: normal,
  log: within(0.3, 3),
  log1p: within(-0.5, 2),
  expm1: normal,
  softplus: wide,
  sigmoid: wide,
  tanh: normal,
  relu: away(0.1, 2),
  elu: away(0.1, 2),
  square: normal,
  sqrt: within(0.3, 3),
  abs: away(0.1, 2),
  sign: away(0.1, 2),
  reciprocal: away(0.3, 2),
  stop_gradient: normal,
};

function unaryCases(): Case[] {
  const cases: Case[] = [];
  for (const op of unaryOps)
    for (const shape of [[3, 4], []])
      cases.push({
        op,
        label: `${op} [${shape.join(", ")}]`,
        leaves: { x: leaf(shape, unaryDraws[op]) },
        // stop_gradient(x)·x: the gradient treats the stopped factor as the constant x₀.
        f:
          op === "stop_gradient"
            ? (v, b) => node(b, { op }, [v.x!]).mul(v.x!)
            : (v, b) => node(b, { op }, [v.x!]),
        fd:
          op === "stop_gradient"
            ? (v, frozen) => frozen.x!.mul(v.x!)
            : undefined,
      });
  cases.push(
    {
      op: "leaky_relu",
      label: "leaky_relu 0.2",
      leaves: { x: leaf([3, 4], away(0.1, 2)) },
      f: (v) => v.x!.leakyRelu(0.2),
    },
    {
      op: "clip",
      label: "clip [-0.5, 0.5]",
      leaves: { x: leaf([4, 5], clipSafe) },
      f: (v) => v.x!.clip(-0.5, 0.5),
    },
  );
  return cases;
}

/** Pairs of shapes that broadcast: same, [1,d], [d], [], [B,1], reversed and both-sided. */
const pairs: [number[], number[]][] = [
  [
    [3, 4],
    [3, 4],
  ],
  [
    [3, 4],
    [1, 4],
  ],
  [[3, 4], [4]],
  [[3, 4], []],
  [
    [3, 4],
    [3, 1],
  ],
  [[4], [3, 4]],
  [
    [3, 1],
    [1, 4],
  ],
  [[], []],
];

function binaryCases(): Case[] {
  const cases: Case[] = [];
  for (const op of [...binaryOps, ...compareOps])
    for (const [sa, sb] of pairs) {
      const ties = op === "equal";
      cases.push({
        op,
        label: `${op} [${sa.join(", ")}] [${sb.join(", ")}]`,
        leaves: {
          a: leaf(sa, ties ? oneOf(-1, 0, 1) : normal),
          b: leaf(
            sb,
            ties ? oneOf(-1, 0, 1) : op === "div" ? away(0.5, 2) : normal,
          ),
        },
        f: (v, b) => node(b, { op }, [v.a!, v.b!]),
      });
    }
  const whereCase = (c: number[], a: number[], bs: number[]): Case => ({
    op: "where",
    label: `where [${c.join(", ")}] [${a.join(", ")}] [${bs.join(", ")}]`,
    leaves: { c: leaf(c, oneOf(0, 1, -2)), a: leaf(a), b: leaf(bs) },
    f: (v) => v.c!.select(v.a!, v.b!),
  });
  cases.push(
    whereCase([3, 4], [3, 4], [3, 4]),
    whereCase([3, 1], [4], []),
    whereCase([3, 4], [3, 1], [1, 4]),
  );
  return cases;
}

function matmulCases(): Case[] {
  const [m, k, n] = [3, 4, 2];
  return [false, true].flatMap((transA) =>
    [false, true].map((transB) => ({
      op: "matmul" as const,
      label: `matmul transA=${transA} transB=${transB}`,
      leaves: {
        a: leaf(transA ? [k, m] : [m, k]),
        b: leaf(transB ? [n, k] : [k, n]),
      },
      f: (v: Record<string, Sym>) => v.a!.matmul(v.b!, { transA, transB }),
    })),
  );
}

function reduceCases(): Case[] {
  const shapes: [number[], number[] | undefined, boolean][] = [
    [[2, 3, 4], [1], false],
    [[2, 3, 4], [0, 2], true],
    [[2, 3, 4], [0, 2], false],
    [[2, 3, 4], [2], true],
    [[2, 3, 4], undefined, false],
    [[5], undefined, true],
  ];
  return reduceOps.flatMap((op) =>
    shapes.map(([shape, axes, keepDims]) => ({
      op,
      label: `${op} [${shape.join(", ")}] axes ${axes ? `[${axes.join(", ")}]` : "all"} keepDims=${keepDims}`,
      leaves: { x: leaf(shape) },
      f: (v: Record<string, Sym>) => v.x![op](axes, keepDims),
    })),
  );
}

const one = (
  op: DiffOp,
  label: string,
  shape: number[],
  f: (x: Sym) => Sym,
): Case => ({
  op,
  label: `${op} ${label}`,
  leaves: { x: leaf(shape) },
  f: (v) => f(v.x!),
});

function structuralCases(): Case[] {
  return [
    one("argmax", "axis 1", [3, 4], (x) => x.argmax(1)),
    one("argmax", "axis 0", [3, 4], (x) => x.argmax(0)),
    one("reshape", "[2,3,4] → [6,4]", [2, 3, 4], (x) => x.reshape([6, 4])),
    one("reshape", "[2,3,4] → [24]", [2, 3, 4], (x) => x.reshape([24])),
    one("reshape", "[1] → []", [1], (x) => x.reshape([])),
    one("slice", "2-D interior", [4, 5], (x) => x.slice([1, 2], [2, 2])),
    one("slice", "2-D to the end", [4, 5], (x) => x.slice([0, 1], [4, -1])),
    one("slice", "3-D", [2, 3, 4], (x) => x.slice([1, 0, 1], [1, 3, 2])),
    one("slice", "1-D", [6], (x) => x.slice([2], [3])),
    one("tile", "[2,3] × [2,1]", [2, 3], (x) => x.tile([2, 1])),
    one("tile", "[2,3] × [1,3]", [2, 3], (x) => x.tile([1, 3])),
    one("tile", "[2,3] × [2,2]", [2, 3], (x) => x.tile([2, 2])),
    one("tile", "[2,1,2] × [1,3,2]", [2, 1, 2], (x) => x.tile([1, 3, 2])),
    one("tile", "[3] × [2]", [3], (x) => x.tile([2])),
    one("transpose", "2-D", [3, 4], (x) => x.transpose()),
    one("transpose", "[2,0,1]", [2, 3, 4], (x) => x.transpose([2, 0, 1])),
    one("transpose", "[1,2,0]", [2, 3, 4], (x) => x.transpose([1, 2, 0])),
    one("broadcast", "[4] → [3,4]", [4], (x) => x.broadcastTo([3, 4])),
    one("broadcast", "[3,1] → [3,4]", [3, 1], (x) => x.broadcastTo([3, 4])),
    one("broadcast", "[] → [2,2]", [], (x) => x.broadcastTo([2, 2])),
    one("broadcast", "[3,1] → [2,3,4]", [3, 1], (x) =>
      x.broadcastTo([2, 3, 4]),
    ),
    {
      op: "concat",
      label: "concat of three along axis 1",
      leaves: { a: leaf([2, 1]), b: leaf([2, 3]), c: leaf([2, 2]) },
      f: (v) => concat([v.a!, v.b!, v.c!], 1),
    },
    {
      op: "concat",
      label: "concat along axis 0",
      leaves: { a: leaf([1, 3]), b: leaf([2, 3]) },
      f: (v) => concat([v.a!, v.b!], 0),
    },
    {
      op: "concat",
      label: "concat of one value twice along axis 2 (contributions add)",
      leaves: { a: leaf([2, 2, 3]) },
      f: (v) => concat([v.a!, v.a!.exp()], 2),
    },
  ];
}

/** The cases of every op, grouped by the op they check. */
export function gradientCases(): Case[] {
  return [
    ...unaryCases(),
    ...binaryCases(),
    ...matmulCases(),
    ...reduceCases(),
    ...structuralCases(),
  ];
}
