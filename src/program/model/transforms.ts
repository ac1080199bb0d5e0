// A distribution parameter's transform, as the IR states it: raw network outputs or learned
// tensors become constrained values (predicting log σ² keeps σ positive, and clamping it keeps
// it finite: the reparameterization trick's usual Gaussian encoder).
import type { IrTransform } from "../../ir/types.js";
import { concat, type Sym } from "../builder.js";

/** The constrained value of `raw` under `t`; `size` is the event size d (for `cholesky`). */
export function applyTransform(raw: Sym, t: IrTransform, size: number): Sym {
  switch (t.kind) {
    case "identity":
      return raw;
    case "softplus":
      return raw.softplus().clip(t.min, t.max);
    case "exp_half":
      // σ = exp(½ · log σ²), with log σ² clamped.
      return raw.clip(t.min, t.max).mul(0.5).exp();
    case "cholesky": {
      // Packed [log τ (d) | strictly-lower L′]: τ = exp(clip(log τ)), the positive diagonal of L.
      const tau = raw.columns(0, size).clip(t.min, t.max).exp();
      const rest = raw.shape[1]! - size;
      return rest === 0 ? tau : concat([tau, raw.columns(size, rest)], 1);
    }
  }
}
