// The parse phase: text → AST + comments, or syntax diagnostics (thanks to recovery, all of them up
// to the per-file cap of diagnostics/limit.ts; past a limit of input-limits.ts, the parser does
// not run).
import type { CstNode, IRecognitionException, IToken } from "chevrotain";
import {
  diagnostic,
  sortDiagnostics,
  type Diagnostic,
} from "../diagnostics/diagnostic.js";
import { capErrors, firstErrors, MAX_ERRORS } from "../diagnostics/limit.js";
import { spanAt } from "../span.js";
import type { Comment, Program } from "./ast.js";
import { runParser } from "./grammar.js";
import { Identifier, keywordTokens, vaeLexer } from "./lexer.js";
import { closestName } from "../diagnostics/suggest.js";
import { checkNesting, checkTokenCount } from "./input-limits.js";
import { cstToAst, tokenSpan } from "./to-ast.js";
import { parserTokens } from "./tokens.js";

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

/** E001 for the first lexer errors (a run of characters that starts no token is one error). */
function lexerDiagnostics(
  text: string,
  errors: readonly { offset: number }[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const err of errors.slice(0, MAX_ERRORS + 1)) {
    // One character, but a whole code point: an emoji is one character, not two halves.
    const char = String.fromCodePoint(text.codePointAt(err.offset) ?? 0xfffd);
    out.push(
      diagnostic(
        spanAt(text, err.offset, err.offset + char.length),
        "UnexpectedCharacter",
        [char],
      ),
    );
  }
  return out;
}

/** The syntax errors: lexical ones, the nesting limit, then the parser's (or the CST). */
function syntax(
  text: string,
  tokens: IToken[],
  lexical: Diagnostic[],
): { cst?: CstNode; diagnostics: Diagnostic[] } {
  // Past a limit the parser does not run at all (it recurses once per level, and its trees take
  // memory per token): with that one diagnostic, only the lexical ones.
  const beyond = checkTokenCount(tokens) ?? checkNesting(tokens);
  if (beyond) return { diagnostics: [...lexical, beyond] };
  const run = runParser(tokens);
  const diagnostics = [
    ...lexical,
    ...run.errors.map((err) => syntaxDiagnostic(text, err)),
  ];
  return run.cst === undefined
    ? { diagnostics }
    : { cst: run.cst, diagnostics };
}

export function parse(text: string): ParseResult {
  const lexed = vaeLexer.tokenize(text);
  const tokenProblems: Diagnostic[] = [];
  const tokens = parserTokens(text, lexed.tokens, tokenProblems);
  const lexical = sortDiagnostics([
    ...lexerDiagnostics(text, lexed.errors),
    ...firstErrors(tokenProblems),
  ]);
  const { cst, diagnostics } = syntax(text, tokens, lexical);
  if (diagnostics.length > 0 || cst === undefined)
    return { diagnostics: capErrors(sortDiagnostics(diagnostics)) };
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
