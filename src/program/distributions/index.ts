// The distributions API on the tensor program: importing it registers every built-in family.
export type {
  DistFactory,
  DistParams,
  Distribution,
  NoiseSpec,
} from "./types.js";
export {
  makeDistribution,
  registerDistribution,
  registeredFamilies,
} from "./registry.js";
export { DiagGaussian } from "./normal.js";
export { FullGaussian } from "./full-normal.js";
export { GaussianMixture } from "./mixture-normal.js";
export { Bernoulli } from "./bernoulli.js";
export { ContinuousBernoulli } from "./continuous-bernoulli.js";
export { Laplace } from "./laplace.js";
export { Categorical } from "./categorical.js";
