// The noise a program reads, as named inputs with a plan: which input, which kind, which shape,
// in a fixed order. The run's seeded generator fills the plan (src/runtime/run/noise.ts), never
// an engine, so every engine sees the same ε for the same seed and step.
import type { Builder, Sym } from "../builder.js";
import type { NoiseSpec } from "../distributions/index.js";

export interface NoiseSlot {
  /** The program input this noise feeds. */
  input: string;
  kind: NoiseSpec["kind"];
  shape: number[];
}

export class NoiseInputs {
  readonly plan: NoiseSlot[] = [];

  constructor(private readonly b: Builder) {}

  /** Program inputs `noise/<purpose>/<i>` for the given specs, recorded in the plan. */
  take(purpose: string, specs: readonly NoiseSpec[]): Sym[] {
    return specs.map((s, i) => {
      const input = `noise/${purpose}/${i}`;
      if (this.plan.some((p) => p.input === input))
        throw new Error(`noise '${input}' is taken twice`);
      this.plan.push({ input, kind: s.kind, shape: [...s.shape] });
      return this.b.input(input, s.shape);
    });
  }
}
