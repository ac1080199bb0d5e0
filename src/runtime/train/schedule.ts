// β schedules (the β-VAE weight on the KL term, Higgins et al.), evaluated at a fractional
// epoch t = epoch + step / stepsPerEpoch: constant; linear warm-up from→to over `epochs`; cyclical
// (Fu et al. 2019): in each period, ramp linearly from→to over the first `ramp` fraction, then hold.
import type { IrBeta } from "../../ir/types.js";

export function betaAt(beta: IrBeta, t: number): number {
  switch (beta.schedule) {
    case "constant":
      return beta.value;
    case "warmup":
      return beta.from + (beta.to - beta.from) * Math.min(1, t / beta.epochs);
    case "cyclical": {
      const phase = (t % beta.period) / beta.period;
      return beta.from + (beta.to - beta.from) * Math.min(1, phase / beta.ramp);
    }
  }
}
