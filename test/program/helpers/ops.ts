// The program's computing ops as one list, from graph.ts's exported op families plus the ops
// outside them, so that a test iterating it (a gradient case or an engine kernel per op) fails
// when an op is added without one. A computing op missing from the lists is a compile-time error.
import {
  binaryOps,
  compareOps,
  reduceOps,
  unaryOps,
  type BinaryOp,
  type CompareOp,
  type ReduceOp,
  type UnaryOp,
} from "../../../src/program/graph.js";
import type { DiffOp } from "../../../src/program/vjp.js";

/** The ops that only move or repeat values: exact in any precision. */
export const structuralOps = [
  "reshape",
  "slice",
  "concat",
  "tile",
  "transpose",
  "broadcast",
] as const satisfies readonly DiffOp[];

/** The ops outside the four exported families. */
export const otherOps = [
  "leaky_relu",
  "clip",
  "where",
  "matmul",
  "argmax",
  ...structuralOps,
] as const satisfies readonly DiffOp[];
type Listed =
  UnaryOp | BinaryOp | CompareOp | ReduceOp | (typeof otherOps)[number];
const listed: [Exclude<DiffOp, Listed>] extends [never] ? true : never = true;
void listed;

/** Every computing op, each once. */
export const allOps: readonly DiffOp[] = [
  ...unaryOps,
  ...binaryOps,
  ...compareOps,
  ...reduceOps,
  ...otherOps,
];
