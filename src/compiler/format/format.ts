// The `.vae` formatter: parses, lays out one declaration per line, keeps every comment, never throws.
// `\n`, `\r\n` and `\r` are line breaks alike; the output keeps the file's line ending (see FormatOptions).
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Comment, Program, TopLevel } from "../syntax/ast.js";
import { countLineBreaks } from "../span.js";
import { parse } from "../syntax/parse.js";
import {
  afterLines,
  attachComments,
  commentText,
  unitEnd,
  type Unit,
} from "./comments.js";
import { printSetting, printStmt, stmtKeyword } from "./print-expr.js";

export interface FormatResult {
  /** Present only when the text parses. */
  formatted?: string;
  diagnostics: Diagnostic[];
}

const INDENT = 2;

export interface FormatOptions {
  /**
   * The line ending of the output. "auto" (the default, like Prettier's `endOfLine: "auto"`) keeps
   * the file's: the first line break in it, `\n` when it has none; "lf" always writes `\n`.
   */
  endOfLine?: "auto" | "lf";
}

/** The line ending a file uses: its first line break (Prettier's guess for "auto"). */
export function guessEndOfLine(text: string): "\n" | "\r\n" | "\r" {
  const cr = text.indexOf("\r");
  if (cr === -1) return "\n";
  const lf = text.indexOf("\n");
  if (lf !== -1 && lf < cr) return "\n";
  return text[cr + 1] === "\n" ? "\r\n" : "\r";
}

export function formatVae(
  text: string,
  options: FormatOptions = {},
): FormatResult {
  const parsed = parse(text);
  if (!parsed.program) return { diagnostics: parsed.diagnostics };
  const units = buildUnits(text, parsed.program);
  attachComments(text, units, parsed.program.comments);
  alignRuns(text, units);
  const lf = layout(text, units);
  const eol = options.endOfLine === "lf" ? "\n" : guessEndOfLine(text);
  const formatted = eol === "\n" ? lf : lf.replace(/\n/g, eol);
  return { formatted, diagnostics: parsed.diagnostics };
}

function unit(
  start: number,
  end: number,
  role: Unit["role"],
  indents: [number, number, number],
  render: (width: number) => string,
): Unit {
  const [indent, leadingIndent, afterIndent] = indents;
  return {
    start,
    end,
    role,
    indent,
    leadingIndent,
    afterIndent,
    alignWidth: 0,
    render,
    leading: [],
    after: [],
  };
}

/** The offset of the `{` that opens a block: the first one after `from` outside comments. */
function openBrace(
  text: string,
  from: number,
  comments: readonly Comment[],
): number {
  // Comments are in source order: start at the first one at or after `from` (binary search), so
  // a file of many comments is not scanned once per character.
  let next = 0;
  let hi = comments.length;
  while (next < hi) {
    const mid = (next + hi) >> 1;
    if (comments[mid]!.span.start.offset < from) next = mid + 1;
    else hi = mid;
  }
  let i = from;
  while (i < text.length) {
    const comment = comments[next];
    if (comment?.span.start.offset === i) {
      i = comment.span.end.offset;
      next++;
    } else if (text[i] === "{") return i;
    else i++;
  }
  return i;
}

function buildUnits(text: string, program: Program): Unit[] {
  const units: Unit[] = [];
  // A loop, not push(...): a model of 200 000 statements would overflow the call's arguments.
  for (const item of program.items)
    for (const u of itemUnits(text, item, program.comments)) units.push(u);
  units.push(unit(text.length, text.length, "eof", [0, 0, 0], () => ""));
  return units;
}

function itemUnits(
  text: string,
  item: TopLevel,
  comments: readonly Comment[],
): Unit[] {
  const start = item.span.start.offset;
  const end = item.span.end.offset;
  const name = item.kind === "Model" ? item.name : item.model;
  const head = `${item.kind === "Model" ? "model" : "train"} ${name.name} {`;
  const lbrace = openBrace(text, name.span.end.offset, comments);
  const empty =
    item.kind === "Model" ? item.body.length === 0 : item.settings.length === 0;
  const commentInside = comments.some(
    (c) => c.span.start.offset > lbrace && c.span.start.offset < end,
  );
  if (empty && !commentInside)
    return [unit(start, end, "whole", [0, 0, 0], () => `${head}}`)];

  const units = [unit(start, lbrace + 1, "open", [0, 0, INDENT], () => head)];
  const inner: [number, number, number] = [INDENT, INDENT, INDENT];
  if (item.kind === "Model") {
    for (const s of item.body) {
      const u = unit(
        s.span.start.offset,
        s.span.end.offset,
        "stmt",
        inner,
        (w) => printStmt(s, w),
      );
      if (s.kind === "Data" || s.kind === "Latent") {
        u.align = "binding";
        u.alignWidth = stmtKeyword(s).length;
      }
      units.push(u);
    }
  } else {
    for (const s of item.settings) {
      const u = unit(
        s.span.start.offset,
        s.span.end.offset,
        "stmt",
        inner,
        (w) => printSetting(s, w),
      );
      u.align = "setting";
      u.alignWidth = s.key.name.length;
      units.push(u);
    }
  }
  units.push(unit(end - 1, end, "close", [0, INDENT, 0], () => "}"));
  return units;
}

/** Whether the source has a blank line between two offsets (only whitespace lies between them). */
function blankBetween(text: string, from: number, to: number): boolean {
  return countLineBreaks(text.slice(from, to)) >= 2;
}

/**
 * Pads runs of consecutive alike lines (settings, or `data`/`latent`) to a common width. A run
 * breaks at a blank line, an own-line comment, or a comment that had to move to its own line.
 */
function alignRuns(text: string, units: Unit[]): void {
  let run: Unit[] = [];
  const flush = (): void => {
    const width = Math.max(0, ...run.map((u) => u.alignWidth));
    for (const u of run) u.alignWidth = width;
    run = [];
  };
  for (const u of units) {
    const prev = run[run.length - 1];
    const continues =
      prev !== undefined &&
      u.align === prev.align &&
      u.leading.length === 0 &&
      afterLines(prev).length <= 1 &&
      !blankBetween(text, unitEnd(prev), u.start);
    if (!continues) flush();
    if (u.align) run.push(u);
  }
  flush();
}

/**
 * Prints the units and their comments. Blank lines: none at the start of the file, right after
 * `{` or right before `}`; exactly one after a top-level block; elsewhere one where the source
 * had at least one.
 */
function layout(text: string, units: Unit[]): string {
  const out: string[] = [];
  let prevEnd = 0;
  let state: "start" | "open" | "itemEnd" | "normal" = "start";
  const row = (indent: number, line: string, blank: boolean): void => {
    if (blank) out.push("");
    out.push(" ".repeat(indent) + line);
  };
  const sourceBlank = (start: number): boolean =>
    state === "itemEnd" ||
    (state === "normal" && blankBetween(text, prevEnd, start));
  const joinComments = (cs: Comment[]): string => cs.map(commentText).join(" ");

  for (const u of units) {
    for (const group of u.leading) {
      row(
        u.leadingIndent,
        joinComments(group),
        sourceBlank(group[0]!.span.start.offset),
      );
      prevEnd = group[group.length - 1]!.span.end.offset;
      state = "normal";
    }
    if (u.role === "eof") break;
    const [first, ...rest] = afterLines(u);
    const code =
      u.render(u.alignWidth) + (first ? ` ${joinComments(first)}` : "");
    row(u.indent, code, u.role !== "close" && sourceBlank(u.start));
    state =
      u.role === "open" ? "open" : u.role === "stmt" ? "normal" : "itemEnd";
    for (const line of rest) {
      row(u.afterIndent, joinComments(line), state === "itemEnd");
      state = "normal";
    }
    prevEnd = unitEnd(u);
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}
