// Turns the lexer's tokens into the parser's input and reports the lexical errors in them:
// unterminated strings (E004) and comments (E005), bad escapes (E007), raw control characters (E008),
// and numbers too large for a double (E040), wherever they stand.
import type { IToken } from "chevrotain";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { shownLiteral } from "../diagnostics/quote.js";
import { spanAt, type Span } from "../span.js";
import { StringLiteral } from "./lexer.js";
import { decodeString, type StringProblem } from "./strings.js";
import { tokenSpan } from "./to-ast.js";

/** The span of a problem inside a string token (strings never span lines). */
function problemSpan(t: IToken, p: StringProblem): Span {
  const line = t.startLine ?? 1;
  const col = (t.startColumn ?? 1) + p.offset;
  const offset = t.startOffset + p.offset;
  return {
    start: { offset, line, col },
    end: { offset: offset + p.length, line, col: col + p.length },
  };
}

/** Reports the bad escapes and control characters of one string token (the first 100 of them). */
function reportString(t: IToken, diagnostics: Diagnostic[]): void {
  for (const p of decodeString(t.image).problems)
    diagnostics.push(
      diagnostic(
        problemSpan(t, p),
        p.kind === "escape" ? "InvalidEscape" : "ControlCharacter",
        [p.text],
        p.hint,
      ),
    );
}

/** E040 for a literal like `1e400`, which a double holds only as ±Infinity. */
function reportNumber(t: IToken, diagnostics: Diagnostic[]): void {
  if (Number.isFinite(Number(t.image))) return;
  diagnostics.push(
    diagnostic(
      tokenSpan(t),
      "OutOfRange",
      [
        "a number",
        "at most 1.7976931348623157e308 in magnitude",
        shownLiteral(t.image),
      ],
      "numbers are 64-bit floats; write a smaller one",
    ),
  );
}

function unterminatedHint(t: IToken): string {
  return t.image.includes('\\"')
    ? 'close the string with `"` before the end of the line; `\\"` is a quote inside the string, so end a string with a backslash as `\\\\"`'
    : 'close the string with `"` before the end of the line';
}

/** The tokens the parser reads; lexical errors go to `diagnostics`. */
export function parserTokens(
  text: string,
  lexed: readonly IToken[],
  diagnostics: Diagnostic[],
): IToken[] {
  const tokens: IToken[] = [];
  for (const t of lexed) {
    const kind = t.tokenType.name;
    if (kind === "UnterminatedString") {
      // Parse on as if the string were closed, so the rest of the line is not also an error.
      tokens.push({
        ...t,
        tokenType: StringLiteral,
        tokenTypeIdx: StringLiteral.tokenTypeIdx!,
      });
      diagnostics.push(
        diagnostic(tokenSpan(t), "UnterminatedString", [], unterminatedHint(t)),
      );
      reportString(t, diagnostics);
    } else if (kind === "UnterminatedComment") {
      diagnostics.push(
        diagnostic(
          spanAt(text, t.startOffset, t.startOffset + 2),
          "UnterminatedComment",
          [],
          "close the comment with `*/`",
        ),
      );
    } else {
      if (kind === "StringLiteral") reportString(t, diagnostics);
      else if (kind === "NumberLiteral") reportNumber(t, diagnostics);
      tokens.push(t);
    }
  }
  return tokens;
}
