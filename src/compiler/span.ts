// Source positions and spans shared by every compiler phase (1-based line/col, 0-based offsets).
// A line ends at `\n`, `\r\n` or a lone `\r`, as in chevrotain's default lineTerminatorsPattern
// (/\n|\r\n?/), so positions computed here agree with the lexer's token positions.

import type { Position, Span } from "../ir/types.js";

// The types live with the IR, which records a span on everything it elaborates.
export type { Position, Span };

export function spanUnion(a: Span, b: Span): Span {
  return {
    start: a.start.offset <= b.start.offset ? a.start : b.start,
    end: a.end.offset >= b.end.offset ? a.end : b.end,
  };
}

/** One line break: `\r\n`, `\r` or `\n`. */
export const LINE_BREAK = /\r\n?|\n/;

/** The lines of `text`, split at every kind of line break (the breaks themselves dropped). */
export function splitLines(text: string): string[] {
  return text.split(LINE_BREAK);
}

/** How many line breaks `text` has (`\r\n` counts once). */
export function countLineBreaks(text: string): number {
  return text.match(/\r\n?|\n/g)?.length ?? 0;
}

export function hasLineBreak(text: string): boolean {
  return /[\r\n]/.test(text);
}

/** The offset of the first character of each line. */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

// Diagnostics ask for many positions in one text: index its lines once.
let indexedText: string | undefined;
let indexedStarts: number[] = [0];

function lineStarts(text: string): number[] {
  if (indexedText !== text) {
    indexedStarts = lineStartsOf(text);
    indexedText = text;
  }
  return indexedStarts;
}

/** The position of `offset` in `text`, counting lines and columns from 1. */
export function positionAt(text: string, offset: number): Position {
  const starts = lineStarts(text);
  const at = Math.min(Math.max(offset, 0), text.length);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return { offset, line: lo + 1, col: offset - starts[lo]! + 1 };
}

/** The text of line `line` (1-based) without its line break; "" past the last line. */
export function lineText(text: string, line: number): string {
  const starts = lineStarts(text);
  const start = starts[line - 1];
  if (start === undefined) return "";
  let end = starts[line] ?? text.length;
  if (end > start && text.charCodeAt(end - 1) === 10) end--;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return text.slice(start, end);
}

export function spanAt(
  text: string,
  startOffset: number,
  endOffset: number,
): Span {
  return {
    start: positionAt(text, startOffset),
    end: positionAt(text, endOffset),
  };
}
