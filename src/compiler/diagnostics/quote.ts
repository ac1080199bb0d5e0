// Quoting source text in messages: a literal as written, shortened when it is too long to show.

/** Longest literal quoted whole; a longer one keeps its start and end and says how long it is. */
const MAX_QUOTED = 48;

/** A literal as written, shortened in the middle when it is too long to quote in a message. */
export function shownLiteral(raw: string): string {
  if (raw.length <= MAX_QUOTED) return raw;
  return `${raw.slice(0, 24)}…${raw.slice(-12)} (${raw.length} characters)`;
}
