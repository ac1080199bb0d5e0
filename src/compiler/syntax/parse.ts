// The parse phase: text → AST + comments, or syntax diagnostics (all of them, thanks to recovery).
import type { IRecognitionException, IToken } from "chevrotain";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { spanAt } from "../span.js";
import type { Comment, Program } from "./ast.js";
import { vaeParser } from "./grammar.js";
import { Identifier, keywordTokens, StringLiteral, vaeLexer } from "./lexer.js";
import { closestName } from "../diagnostics/suggest.js";
import { cstToAst, tokenSpan } from "./to-ast.js";

export interface ParseResult {
  /** Present only when the text has no syntax errors. */
  program?: Program;
  diagnostics: Diagnostic[];
}

function describeFound(token: IToken): string {
  if (token.tokenType.name === "EOF") return "end of file";
  return `\`${token.image}\``;
}

function syntaxDiagnostic(
  text: string,
  error: IRecognitionException,
): Diagnostic {
  const token = error.token;
  const atEnd =
    token.tokenType.name === "EOF" || Number.isNaN(token.startOffset);
  const span = atEnd
    ? spanAt(text, text.length, text.length)
    : tokenSpan(token);
  const name =
    error.name === "MismatchedTokenException" ||
    error.name === "NotAllInputParsedException"
      ? "UnexpectedToken"
      : "NoViableAlternative";
  return diagnostic(
    span,
    name,
    [error.message, describeFound(token)],
    syntaxHint(token, error.message),
  );
}

const keywordWords = keywordTokens.map((t) => t.name.toLowerCase());

/** A misspelt keyword (`laten z`) or a keyword used as a name (`let data = ...`). */
function syntaxHint(token: IToken, expected: string): string | undefined {
  if (token.tokenType === Identifier) {
    const close = closestName(token.image, keywordWords);
    return close === undefined ? undefined : `did you mean \`${close}\`?`;
  }
  if (
    keywordTokens.includes(token.tokenType) &&
    expected === Identifier.LABEL
  ) {
    return `\`${token.image}\` is a keyword; choose another name`;
  }
  return undefined;
}

export function parse(text: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const lexed = vaeLexer.tokenize(text);
  for (const err of lexed.errors) {
    const span = spanAt(text, err.offset, err.offset + Math.max(1, err.length));
    diagnostics.push(
      diagnostic(
        spanAt(text, err.offset, err.offset + 1),
        "UnexpectedCharacter",
        [text.slice(span.start.offset, span.start.offset + 1)],
      ),
    );
  }
  const tokens: IToken[] = [];
  for (const t of lexed.tokens) {
    if (t.tokenType.name === "UnterminatedString") {
      // Parse on as if the string were closed, so the rest of the line is not also an error.
      tokens.push({
        ...t,
        tokenType: StringLiteral,
        tokenTypeIdx: StringLiteral.tokenTypeIdx!,
      });
      diagnostics.push(
        diagnostic(
          tokenSpan(t),
          "UnterminatedString",
          [],
          'close the string with `"` before the end of the line',
        ),
      );
    } else if (t.tokenType.name === "UnterminatedComment")
      diagnostics.push(
        diagnostic(
          spanAt(text, t.startOffset, t.startOffset + 2),
          "UnterminatedComment",
          [],
          "close the comment with `*/`",
        ),
      );
    else tokens.push(t);
  }
  vaeParser.input = tokens;
  const cst = vaeParser.program();
  for (const err of vaeParser.errors)
    diagnostics.push(syntaxDiagnostic(text, err));
  if (diagnostics.length > 0) return { diagnostics };
  const comments: Comment[] = (lexed.groups["comments"] ?? []).map((t) => ({
    text: t.image,
    span: tokenSpan(t),
  }));
  const program: Program = {
    items: cstToAst(cst),
    comments,
    span: spanAt(text, 0, text.length),
  };
  return { program, diagnostics };
}
