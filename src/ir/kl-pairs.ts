// The one list of posterior ‖ prior family pairs with a closed-form KL divergence. The compiler
// resolves `kl = auto` by it and refuses `kl = analytic` outside it; the runtime dispatches by it,
// and a test checks that the runtime implements every pair listed here.

/**
 * KL(q ‖ p) in closed form. Gaussian KL: diagonal Gaussians, Σ_d [log σp − log σq +
 * (σq² + (μq − μp)²)/(2σp²) − ½]. Cholesky posteriors against a diagonal Gaussian need only
 * tr(Σp⁻¹ L Lᵀ), the row norms of L scaled by 1/σp², and log det Σq = 2 Σ log diag L.
 */
export const closedFormKl: ReadonlyArray<readonly [string, string]> = [
  ["diag_normal", "normal"],
  ["full_normal", "normal"],
];

export function hasClosedFormKl(posterior: string, prior: string): boolean {
  return closedFormKl.some(([q, p]) => q === posterior && p === prior);
}
