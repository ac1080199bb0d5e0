// Optimizer updates written once against the program's ops, so every engine runs the same
// arithmetic. Each rule follows PyTorch's update (torch.optim.Adam, SGD, RMSprop, defaults
// dampening = 0, no weight decay, not Nesterov, not centered). Scalars that depend only on the
// step count — Adam's bias corrections — are computed on the host in float64 and fed as program
// inputs, so they are exact however large the step count grows.
import type { IrOptimizer } from "../ir/types.js";
import type { Sym } from "./builder.js";

/** An optimizer with every hyperparameter given: the IR's optimizer. */
export type OptimizerSettings = IrOptimizer;

/** A parameter's value and slots after one update. */
export interface Updated {
  param: Sym;
  slots: Record<string, Sym>;
}

export interface OptimizerRule {
  /** Per-parameter state slots, e.g. Adam ["m", "v"]; zeros at the start. */
  readonly slots: readonly string[];
  /** Scalar program inputs it reads (names), e.g. "lr"; the host computes them per step. */
  hostInputs(step: number, lr: number): Record<string, number>; // step counts from 1
  /** The update of one parameter: new value and new slots. `h` holds the host inputs as Syms. */
  update(
    param: Sym,
    grad: Sym,
    slots: Record<string, Sym>,
    h: Record<string, Sym>,
  ): Updated;
}

/**
 * Adam (Kingma & Ba), in PyTorch's arrangement: with t the step count,
 *   m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,
 *   p ← p − α_t · m / (√v / c_t + ε),   α_t = lr / (1 − β₁ᵗ),   c_t = √(1 − β₂ᵗ),
 * which is p − lr · m̂ / (√v̂ + ε) with the bias-corrected moments m̂ = m / (1 − β₁ᵗ) and
 * v̂ = v / (1 − β₂ᵗ), ε added to √v̂ (not inside the root). α_t and c_t are host inputs.
 */
function adam(o: Extract<OptimizerSettings, { name: "adam" }>): OptimizerRule {
  return {
    slots: ["m", "v"],
    hostInputs: (step, lr) => ({
      step_size: lr / (1 - o.beta1 ** step),
      correction2: Math.sqrt(1 - o.beta2 ** step),
    }),
    update(p, g, s, h): Updated {
      const m = s["m"]!.mul(o.beta1).add(g.mul(1 - o.beta1));
      const v = s["v"]!.mul(o.beta2).add(g.square().mul(1 - o.beta2));
      const denom = v.sqrt().div(h["correction2"]!).add(o.eps);
      const next = p.sub(h["step_size"]!.mul(m.div(denom)));
      return { param: next, slots: { m, v } };
    },
  };
}

/**
 * SGD with (heavy-ball) momentum μ, as PyTorch: buf ← μ buf + g, p ← p − lr · buf. Starting
 * from buf = 0 the first step gives buf = g, PyTorch's initialisation. μ = 0 is plain SGD,
 * p ← p − lr · g, with no slot.
 */
function sgd(o: Extract<OptimizerSettings, { name: "sgd" }>): OptimizerRule {
  const momentum = o.momentum > 0;
  return {
    slots: momentum ? ["buf"] : [],
    hostInputs: (_step, lr) => ({ lr }),
    update(p, g, s, h): Updated {
      const lr = h["lr"]!;
      if (!momentum) return { param: p.sub(lr.mul(g)), slots: {} };
      const buf = s["buf"]!.mul(o.momentum).add(g);
      return { param: p.sub(lr.mul(buf)), slots: { buf } };
    },
  };
}

/**
 * RMSprop (Hinton), PyTorch's non-centered form with smoothing α (the IR's `decay`):
 *   v ← α v + (1 − α) g²,
 *   μ > 0: buf ← μ buf + g / (√v + ε), p ← p − lr · buf;   μ = 0: p ← p − lr · g / (√v + ε).
 * ε is added to √v, not inside the root.
 */
function rmsprop(
  o: Extract<OptimizerSettings, { name: "rmsprop" }>,
): OptimizerRule {
  const momentum = o.momentum > 0;
  return {
    slots: momentum ? ["v", "buf"] : ["v"],
    hostInputs: (_step, lr) => ({ lr }),
    update(p, g, s, h): Updated {
      const lr = h["lr"]!;
      const v = s["v"]!.mul(o.decay).add(g.square().mul(1 - o.decay));
      const scaled = g.div(v.sqrt().add(o.eps));
      if (!momentum) return { param: p.sub(lr.mul(scaled)), slots: { v } };
      const buf = s["buf"]!.mul(o.momentum).add(scaled);
      return { param: p.sub(lr.mul(buf)), slots: { v, buf } };
    },
  };
}

/** The update rule of an optimizer. */
export function optimizerRule(o: OptimizerSettings): OptimizerRule {
  switch (o.name) {
    case "adam":
      return adam(o);
    case "sgd":
      return sgd(o);
    case "rmsprop":
      return rmsprop(o);
  }
}
