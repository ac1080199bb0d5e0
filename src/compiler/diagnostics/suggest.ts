// Did-you-mean hints: the closest known name by edit distance, or the list of valid choices.
import { distance } from "fastest-levenshtein";

export function closestName(
  name: string,
  candidates: readonly string[],
): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    // Ties go to the candidate of the same length (a transposition such as `rleu` → `relu`).
    const d =
      distance(lower, candidate.toLowerCase()) +
      (candidate.length === name.length ? 0 : 0.5);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  const limit = name.length <= 3 ? 1.5 : Math.max(2.5, name.length / 3);
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

/** "did you mean `x`?" when something is close, else the full list of valid choices. */
export function suggestHint(
  name: string,
  candidates: readonly string[],
): string | undefined {
  const close = closestName(name, candidates);
  if (close !== undefined) return `did you mean \`${close}\`?`;
  if (candidates.length === 0) return undefined;
  return `expected one of: ${candidates.map((c) => `\`${c}\``).join(", ")}`;
}
