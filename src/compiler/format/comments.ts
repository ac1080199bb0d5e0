// Attaches every comment to a printed line ("unit"): before it on own lines, or after it on its line.
import { hasLineBreak } from "../span.js";
import type { Comment } from "../syntax/ast.js";

/** What a unit is, for the blank-line rules of the layout. */
export type UnitRole = "open" | "stmt" | "close" | "whole" | "eof";

/** One output line of code (a block header, a declaration, a `}`), or the end of the file. */
export interface Unit {
  /** Source offsets `[start, end)` of the code the line prints. */
  start: number;
  end: number;
  role: UnitRole;
  /** Indentation of the line itself, of own-line comments before it, and of comment lines after it. */
  indent: number;
  leadingIndent: number;
  afterIndent: number;
  /** Consecutive units with the same `align` kind (and nothing between them) are padded alike. */
  align?: "setting" | "binding";
  alignWidth: number;
  render: (width: number) => string;
  /** Own-line comments before the unit, grouped by source line. */
  leading: Comment[][];
  /** Comments inside the unit's code, then those after it on its last line, in source order. */
  after: Comment[];
}

/**
 * The printed text of a comment: line comments without trailing blanks, block comments verbatim
 * but with their line breaks written `\n` (the layout turns every `\n` into the file's line ending).
 */
export function commentText(c: Comment): string {
  return c.text.startsWith("//")
    ? c.text.trimEnd()
    : c.text.replace(/\r\n?/g, "\n");
}

/** Where the last piece of text that belongs to the unit's line ends. */
export function unitEnd(u: Unit): number {
  const last = u.after[u.after.length - 1];
  return last ? Math.max(u.end, last.span.end.offset) : u.end;
}

/**
 * Groups a unit's `after` comments into lines: a `//` comment ends its line, so any
 * comment that follows one (possible only for comments inside an expression) starts a new line.
 */
export function afterLines(u: Unit): Comment[][] {
  const lines: Comment[][] = [];
  let current: Comment[] = [];
  for (const c of u.after) {
    current.push(c);
    if (c.text.startsWith("//")) {
      lines.push(current);
      current = [];
    }
  }
  if (current.length > 0) lines.push(current);
  return lines;
}

/**
 * Distributes the comments over the units (sorted, non-overlapping, the last one the `eof` unit):
 * inside a unit, or after one with no line break in between → `after`; otherwise → `leading`
 * of the next unit, sharing a group with the previous own-line comment when on its source line.
 */
export function attachComments(
  text: string,
  units: Unit[],
  comments: readonly Comment[],
): void {
  const sorted = [...comments].sort(
    (a, b) => a.span.start.offset - b.span.start.offset,
  );
  let next = 0; // index of the first unit that starts at or after the current comment
  let lastLeadingEnd = -1;
  for (const c of sorted) {
    const start = c.span.start.offset;
    while (next < units.length && units[next]!.start < start) next++;
    const prev = next > 0 ? units[next - 1] : undefined;
    if (prev && start < prev.end) {
      prev.after.push(c);
      continue;
    }
    if (prev && !hasLineBreak(text.slice(unitEnd(prev), start))) {
      prev.after.push(c);
      continue;
    }
    const owner = units[next]!;
    const group = owner.leading[owner.leading.length - 1];
    const onSameLine =
      group !== undefined && !hasLineBreak(text.slice(lastLeadingEnd, start));
    if (group && onSameLine) group.push(c);
    else owner.leading.push([c]);
    lastLeadingEnd = c.span.end.offset;
  }
}
