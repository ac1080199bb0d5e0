// Did-you-mean hints: the closest known name by edit distance, or the list of valid choices.
import { distance } from "fastest-levenshtein";

export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  const limit = Math.max(1, Math.floor(name.length / 3));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

/** "did you mean `x`?" when something is close, else the full list of valid choices. */
export function suggestHint(name: string, candidates: readonly string[]): string | undefined {
  const close = closestName(name, candidates);
  if (close !== undefined) return `did you mean \`${close}\`?`;
  if (candidates.length === 0) return undefined;
  return `expected one of: ${candidates.map((c) => `\`${c}\``).join(", ")}`;
}
