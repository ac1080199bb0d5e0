// The vector-Jacobian product (VJP) of every op, the building block of reverse-mode automatic
// differentiation: for y = f(x₁, …, xₙ) and a cotangent dy = ∂L/∂y, the cotangents
// ∂L/∂xᵢ = dyᵀ·∂y/∂xᵢ. The rules are written with the program's own ops, so the gradient of a
// program is again a program that any engine runs (as in JAX, where transpose rules are jaxprs).
import { binaryVjps, unaryVjps } from "./vjp/elementwise.js";
import { structuralVjps } from "./vjp/structural.js";
import type { DiffOp, Vjp } from "./vjp/common.js";

export {
  keepReduced,
  unbroadcast,
  type DiffOp,
  type Vjp,
} from "./vjp/common.js";

/** One VJP per computing op; the mapped type makes a missing op a compile-time error. */
export const vjps: { readonly [K in DiffOp]: Vjp<K> } = {
  ...unaryVjps,
  ...binaryVjps,
  ...structuralVjps,
};
