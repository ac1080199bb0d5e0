// The distribution registry: IR family name → factory. Built-in families register on import.
import type { DistFactory, DistParams, Distribution } from "./types.js";
import { bernoulliFactory } from "./bernoulli.js";
import { categoricalFactory } from "./categorical.js";
import { continuousBernoulliFactory } from "./continuous-bernoulli.js";
import { fullNormalFactory } from "./full-normal.js";
import { laplaceFactory } from "./laplace.js";
import { mixtureNormalFactory } from "./mixture-normal.js";
import { normalFactory } from "./normal.js";

const factories = new Map<string, DistFactory>();

/** Registers the implementation of a family; registering a family twice is an error. */
export function registerDistribution(
  family: string,
  factory: DistFactory,
): void {
  if (factories.has(family))
    throw new Error(`distribution family '${family}' is already registered`);
  factories.set(family, factory);
}

/** The registered family names, sorted. */
export function registeredFamilies(): string[] {
  return [...factories.keys()].sort();
}

/** Builds a distribution of `family` from constrained parameters; `size` is the event size (classes for categorical). */
export function makeDistribution(
  family: string,
  params: DistParams,
  size: number,
): Distribution {
  const factory = factories.get(family);
  if (factory === undefined)
    throw new Error(
      `unknown distribution family '${family}' (registered: ${registeredFamilies().join(", ")})`,
    );
  return factory(params, size);
}

// `normal` (prior/likelihood) and `diag_normal` (posterior) are separate IR families, and so
// separate KL-registry keys, sharing one implementation.
registerDistribution("normal", normalFactory("normal"));
registerDistribution("diag_normal", normalFactory("diag_normal"));
registerDistribution("full_normal", fullNormalFactory);
registerDistribution("mixture_normal", mixtureNormalFactory);
registerDistribution("bernoulli", bernoulliFactory);
registerDistribution("continuous_bernoulli", continuousBernoulliFactory);
registerDistribution("laplace", laplaceFactory);
registerDistribution("categorical", categoricalFactory);
