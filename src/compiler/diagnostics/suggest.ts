// Did-you-mean hints: the closest known name by edit distance (a swap of two neighbouring letters
// counts as one edit), or the list of valid choices. Each suggestion costs at most
// MAX_COMPARED distance computations on names of at most MAX_SUGGESTED_LENGTH characters, so a
// file with many unknown names against many declared ones stays linear.
import { distance } from "fastest-levenshtein";

/** Names longer than this get no did-you-mean (edit distance grows with the product of lengths). */
export const MAX_SUGGESTED_LENGTH = 64;
/** The most candidates one suggestion compares, in the order given, among those of a fitting length. */
export const MAX_COMPARED = 1000;
/** The most choices an "expected one of" hint lists. */
export const MAX_LISTED = 12;

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
  if (name.length < 2 || name.length > MAX_SUGGESTED_LENGTH) return undefined;
  const limit = name.length <= 3 ? 1 : Math.max(2, Math.floor(name.length / 3));
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  let compared = 0;
  for (const candidate of candidates) {
    // Names whose lengths differ by more than `limit` are more than `limit` edits apart.
    if (Math.abs(candidate.length - name.length) > limit) continue;
    if (compared++ === MAX_COMPARED) break;
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

/** "did you mean `x`?" when something is close, else the list of valid choices (the first few). */
export function suggestHint(
  name: string,
  candidates: readonly string[],
): string | undefined {
  const close = closestName(name, candidates);
  if (close !== undefined) return `did you mean \`${close}\`?`;
  if (candidates.length === 0) return undefined;
  const listed = candidates.slice(0, MAX_LISTED).map((c) => `\`${c}\``);
  const more = candidates.length - listed.length;
  return `expected one of: ${listed.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}
