// VJP rules of the elementwise ops. For y = f(x) elementwise the Jacobian is diagonal, so the
// VJP is dx = dy ⊙ f′(x), with f′ written through y where that is cheaper (exp, sigmoid, tanh,
// sqrt, reciprocal). Broadcasting binary ops sum the cotangent back over the broadcast axes.
import type { BinaryOp, CompareOp, UnaryOp } from "../graph.js";
import { oneMinus, unbroadcast, type DiffOp, type Vjp } from "./common.js";

type Table<K extends DiffOp> = { [P in K]: Vjp<P> };

export const unaryVjps: Table<UnaryOp | "leaky_relu" | "clip"> = {
  neg: (_n, _x, _y, dy) => [dy.neg()],
  exp: (_n, _x, y, dy) => [dy.mul(y)],
  log: (_n, [x], _y, dy) => [dy.div(x!)],
  log1p: (_n, [x], _y, dy) => [dy.div(x!.add(1))],
  // d expm1(x)/dx = eˣ = y + 1.
  expm1: (_n, _x, y, dy) => [dy.mul(y.add(1))],
  // d softplus(x)/dx = σ(x).
  softplus: (_n, [x], _y, dy) => [dy.mul(x!.sigmoid())],
  // σ′ = σ(1 − σ).
  sigmoid: (_n, _x, y, dy) => [dy.mul(y.mul(oneMinus(y)))],
  // tanh′ = 1 − tanh².
  tanh: (_n, _x, y, dy) => [dy.mul(oneMinus(y.square()))],
  relu: (_n, [x], _y, dy) => [dy.mul(x!.greater(0))],
  // ELU: 1 for x > 0, eˣ = y + 1 otherwise.
  elu: (_n, [x], y, dy) => [x!.greater(0).select(dy, dy.mul(y.add(1)))],
  square: (_n, [x], _y, dy) => [dy.mul(x!.mul(2))],
  // d√x/dx = 1 / (2√x).
  sqrt: (_n, _x, y, dy) => [dy.div(y.mul(2))],
  abs: (_n, [x], _y, dy) => [dy.mul(x!.sign())],
  // Piecewise constant: zero almost everywhere.
  sign: () => [null],
  // d(1/x)/dx = −1/x² = −y².
  reciprocal: (_n, _x, y, dy) => [dy.mul(y.square()).neg()],
  stop_gradient: () => [null],
  leaky_relu: (n, [x], _y, dy) => [dy.mul(x!.greater(0).select(1, n.alpha))],
  // Gradient 1 inside [min, max], 0 outside.
  clip: (n, [x], _y, dy) => [
    x!.less(n.min).select(0, x!.greater(n.max).select(0, dy)),
  ],
};

export const binaryVjps: Table<BinaryOp | CompareOp | "where"> = {
  add: (_n, [a, b], _y, dy, needs) => [
    needs[0] ? unbroadcast(dy, a!.shape) : null,
    needs[1] ? unbroadcast(dy, b!.shape) : null,
  ],
  sub: (_n, [a, b], _y, dy, needs) => [
    needs[0] ? unbroadcast(dy, a!.shape) : null,
    needs[1] ? unbroadcast(dy.neg(), b!.shape) : null,
  ],
  mul: (_n, [a, b], _y, dy, needs) => [
    needs[0] ? unbroadcast(dy.mul(b!), a!.shape) : null,
    needs[1] ? unbroadcast(dy.mul(a!), b!.shape) : null,
  ],
  // y = a / b: ∂y/∂a = 1/b, ∂y/∂b = −a/b² = −y/b.
  div: (_n, [a, b], y, dy, needs) => [
    needs[0] ? unbroadcast(dy.div(b!), a!.shape) : null,
    needs[1] ? unbroadcast(dy.mul(y).div(b!).neg(), b!.shape) : null,
  ],
  less: () => [null, null],
  greater: () => [null, null],
  equal: () => [null, null],
  // where(c, a, b): dy flows to a where c ≠ 0 and to b elsewhere; none to the condition.
  where: (_n, [c, a, b], _y, dy, needs) => [
    null,
    needs[1] ? unbroadcast(c!.select(dy, 0), a!.shape) : null,
    needs[2] ? unbroadcast(c!.select(0, dy), b!.shape) : null,
  ],
};
