// Shared pieces of the VJP rules: the rule type, the adjoint of NumPy broadcasting (sum over
// the broadcast axes), and the re-insertion of reduced axes.
import type { Node, OpName, Shape } from "../graph.js";
import { sameShape } from "../graph.js";
import type { Sym } from "../builder.js";
import { ProgramError } from "../shapes.js";

/** The ops that compute (every op but the leaves). */
export type DiffOp = Exclude<OpName, "input" | "param" | "const">;

/**
 * The vector-Jacobian product of one op: given the node, its input values, its value `out` and
 * the cotangent dy = ∂L/∂out (out's shape), the cotangent ∂L/∂input of each input, built with
 * the same ops (so a gradient is again a program); null where the op has no gradient or
 * `needs[i]` is false (the sweep does not need that input's gradient, so none is emitted).
 */
export type Vjp<K extends DiffOp = DiffOp> = (
  node: Node & { op: K },
  inputs: readonly Sym[],
  out: Sym,
  dy: Sym,
  needs: readonly boolean[],
) => (Sym | null)[];

/**
 * The adjoint of broadcasting `shape` to g's shape: sum g over the added leading axes and the
 * size-1 axes that were stretched, then reshape to `shape`.
 */
export function unbroadcast(g: Sym, shape: Shape): Sym {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  if (lead < 0)
    throw new ProgramError(
      `unbroadcast: [${g.shape.join(", ")}] is not a broadcast of [${shape.join(", ")}]`,
    );
  const axes = g.shape
    .map((_, i) => i)
    .filter((i) => i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1));
  const s = axes.length > 0 ? g.sum(axes) : g;
  return sameShape(s.shape, shape) ? s : s.reshape(shape);
}

/** A reduction's result with the reduced axes as size-1 axes again (as with keepDims). */
export function keepReduced(
  v: Sym,
  x: Shape,
  axes: readonly number[],
  keepDims: boolean,
): Sym {
  if (keepDims) return v;
  const kept = x.map((d, i) => (axes.includes(i) ? 1 : d));
  return sameShape(v.shape, kept) ? v : v.reshape(kept);
}

/** Zeros of `shape`: a broadcast scalar 0 (no dense constant). */
export function zeros(like: Sym, shape: Shape): Sym {
  return like.builder.constant(0).broadcastTo(shape);
}

/** 1 − s. */
export function oneMinus(s: Sym): Sym {
  return s.builder.constant(1).sub(s);
}
