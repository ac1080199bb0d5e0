// The runtime distributions API: importing it registers every built-in family and closed-form KL.
export type { DistFactory, DistParams, Distribution, KlFn } from "./types.js";
export {
  makeDistribution,
  registerDistribution,
  registeredFamilies,
} from "./registry.js";
export {
  hasClosedFormKl,
  kl,
  klAnalytic,
  klMonteCarlo,
  registerKl,
  registeredKlPairs,
  type KlMethod,
} from "./kl.js";
export { type BatchedDistribution, isBatched } from "./util.js";
