// Source positions and spans shared by every compiler phase (1-based line/col, 0-based offsets).

export interface Position {
  offset: number;
  line: number;
  col: number;
}

/** A half-open source range: `start` is the first character, `end` the one after the last. */
export interface Span {
  start: Position;
  end: Position;
}

export function spanUnion(a: Span, b: Span): Span {
  return {
    start: a.start.offset <= b.start.offset ? a.start : b.start,
    end: a.end.offset >= b.end.offset ? a.end : b.end,
  };
}

/** The position of `offset` in `text`, counting lines and columns from 1. */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  const stop = Math.min(offset, text.length);
  for (let i = 0; i < stop; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, col: offset - lineStart + 1 };
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
