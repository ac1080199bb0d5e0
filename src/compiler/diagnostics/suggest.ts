// Did-you-mean hints: the closest known name by edit distance (a swap of two neighbouring letters
// counts as one edit), or the list of valid choices.
import { distance } from "fastest-levenshtein";

/** True when `a` becomes `b` by swapping two neighbouring characters. */
function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff: number[] = [];
  for (let i = 0; i < a.length && diff.length <= 2; i++)
    if (a[i] !== b[i]) diff.push(i);
  const [i, j] = diff;
  return diff.length === 2 && j === i! + 1 && a[i!] === b[j] && a[j] === b[i!];
}

function editDistance(a: string, b: string): number {
  return isTransposition(a, b) ? 1 : distance(a, b);
}

export function closestName(
  name: string,
  candidates: readonly string[],
): string | undefined {
  // One-letter names are all one edit apart: a suggestion would be a guess.
  if (name.length < 2) return undefined;
  const limit = name.length <= 3 ? 1 : Math.max(2, Math.floor(name.length / 3));
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    // Ties go to the candidate of the same length.
    const score = d + (candidate.length === name.length ? 0 : 0.5);
    if (d <= limit && score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
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
