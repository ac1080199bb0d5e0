// The input limits (E009), checked on the token stream before the parser runs, so that no phase
// ever meets an input beyond them:
// - the number of tokens: the parser, the CST and the AST hold a few hundred bytes per token, and
//   the checker and the IR as much again per layer, so 10 MB of `1, ` (a 3-million-layer `mlp`)
//   would need more memory than Node has. Big tokens cost nothing: a 10 MB string is one token.
// - the nesting of brackets `(`, `[`, `{`. Chevrotain's parser, the CST visitor, the checker's
//   walks over expressions, the formatter's printer and every later phase recurse once per
//   bracket level, so with the depth bounded here they are all safe from stack overflow. (Long
//   flat inputs — lists of 100 000 widths, chains of 10 000 `let`s, many declarations — are not
//   nesting: every phase handles those with loops.)
import type { IToken, TokenType } from "chevrotain";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import * as T from "./lexer.js";
import { tokenSpan } from "./to-ast.js";

/**
 * The deepest bracket nesting a file may have, a model's `{` included. Real specs nest 4–6 deep
 * (`model { encoder ... = DiagNormal(mlp(concat(x, y), [400], relu)) }`); at 64 levels every
 * phase stays far inside Node's default stack (the parser alone overflowed at a few hundred).
 */
export const MAX_NESTING = 64;

/**
 * The most tokens a file may have (comments and blanks not counted): 2^20 = 1,048,576. Real
 * specs have a few hundred; a megabyte of the densest input (`1,1,1,...`) stays under it, and at
 * it the worst input takes about 1.5 GB and a few seconds.
 */
export const MAX_TOKENS = 2 ** 20;

/** E009 at the first token past MAX_TOKENS, or undefined. */
export function checkTokenCount(
  tokens: readonly IToken[],
): Diagnostic | undefined {
  const first = tokens[MAX_TOKENS];
  if (first === undefined) return undefined;
  return diagnostic(
    tokenSpan(first),
    "InputLimit",
    [`the file's number of tokens (${tokens.length})`, `${MAX_TOKENS} tokens`],
    "a `.vae` spec has a few hundred tokens: is this the right file?",
  );
}

const opening: ReadonlySet<TokenType> = new Set([
  T.LParen,
  T.LBracket,
  T.LBrace,
]);
const closing: ReadonlySet<TokenType> = new Set([
  T.RParen,
  T.RBracket,
  T.RBrace,
]);

/**
 * E009 at the first bracket that opens level MAX_NESTING + 1, or undefined. Every closing
 * bracket closes one level (whether it matches is the parser's business), never below zero.
 */
export function checkNesting(
  tokens: readonly IToken[],
): Diagnostic | undefined {
  let depth = 0;
  for (const t of tokens) {
    if (opening.has(t.tokenType)) {
      depth++;
      if (depth > MAX_NESTING)
        return diagnostic(
          tokenSpan(t),
          "InputLimit",
          [`this \`${t.image}\`'s nesting depth`, `${MAX_NESTING} levels`],
          "name inner networks with `let` and refer to them by name",
        );
    } else if (closing.has(t.tokenType) && depth > 0) depth--;
  }
  return undefined;
}
