// The `.vae` tokens. Comments go to their own group so the formatter can keep them.
import { createToken, Lexer, type TokenType } from "chevrotain";
import { scanString } from "./strings.js";

export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  label: "a name",
});

function keyword(word: string): TokenType {
  const name = word[0]!.toUpperCase() + word.slice(1);
  return createToken({
    name,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    label: `\`${word}\``,
  });
}

export const Model = keyword("model");
export const Train = keyword("train");
export const Data = keyword("data");
export const Latent = keyword("latent");
export const Let = keyword("let");
export const Prior = keyword("prior");
export const Encoder = keyword("encoder");
export const Decoder = keyword("decoder");
export const Kl = keyword("kl");
export const Beta = keyword("beta");
export const keywordTokens = [
  Model,
  Train,
  Data,
  Latent,
  Let,
  Prior,
  Encoder,
  Decoder,
  Kl,
  Beta,
];

export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/,
  label: "a number",
});
/** Chevrotain's custom-pattern result: the matched text, or null for no match. */
function matched(text: string, offset: number, end: number): [string] | null {
  return end > offset ? [text.slice(offset, end)] : null;
}

// Strings and block comments are matched by linear scans, not regexes: a regex like
// /"(?:[^"\\]|\\.)*"/ overflows V8's backtracking stack on a literal of a few megabytes.
export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: {
    exec: (text: string, offset: number) => {
      if (text.charCodeAt(offset) !== 0x22) return null;
      const scan = scanString(text, offset);
      return scan.closed ? matched(text, offset, scan.end) : null;
    },
  },
  start_chars_hint: ['"'],
  line_breaks: false,
  label: "a string",
});
/** A string without its closing quote on its line; reported as E004 and parsed as if closed. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: {
    exec: (text: string, offset: number) => {
      if (text.charCodeAt(offset) !== 0x22) return null;
      const scan = scanString(text, offset);
      return scan.closed ? null : matched(text, offset, scan.end);
    },
  },
  start_chars_hint: ['"'],
  line_breaks: false,
});

export const LineComment = createToken({
  name: "LineComment",
  pattern: /\/\/[^\n\r]*/,
  group: "comments",
});
/** Where the block comment starting at `offset` ends, or -1 when it never closes. */
function blockCommentEnd(text: string, offset: number): number {
  if (!text.startsWith("/*", offset)) return -1;
  const close = text.indexOf("*/", offset + 2);
  return close === -1 ? -1 : close + 2;
}
export const BlockComment = createToken({
  name: "BlockComment",
  pattern: {
    exec: (text: string, offset: number) =>
      matched(text, offset, blockCommentEnd(text, offset)),
  },
  start_chars_hint: ["/"],
  group: "comments",
  line_breaks: true,
});
/** A block comment that never closes; reported as E005 and dropped. */
export const UnterminatedComment = createToken({
  name: "UnterminatedComment",
  pattern: {
    exec: (text: string, offset: number) =>
      text.startsWith("/*", offset) && blockCommentEnd(text, offset) === -1
        ? [text.slice(offset)]
        : null,
  },
  start_chars_hint: ["/"],
  line_breaks: true,
});
export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /\s+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

export const Arrow = createToken({
  name: "Arrow",
  pattern: /->/,
  label: "`->`",
});
export const LBrace = createToken({
  name: "LBrace",
  pattern: /\{/,
  label: "`{`",
});
export const RBrace = createToken({
  name: "RBrace",
  pattern: /\}/,
  label: "`}`",
});
export const LParen = createToken({
  name: "LParen",
  pattern: /\(/,
  label: "`(`",
});
export const RParen = createToken({
  name: "RParen",
  pattern: /\)/,
  label: "`)`",
});
export const LBracket = createToken({
  name: "LBracket",
  pattern: /\[/,
  label: "`[`",
});
export const RBracket = createToken({
  name: "RBracket",
  pattern: /\]/,
  label: "`]`",
});
export const Colon = createToken({ name: "Colon", pattern: /:/, label: "`:`" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "`,`" });
export const Pipe = createToken({ name: "Pipe", pattern: /\|/, label: "`|`" });
export const Equals = createToken({
  name: "Equals",
  pattern: /=/,
  label: "`=`",
});

export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  Arrow,
  NumberLiteral,
  StringLiteral,
  UnterminatedString,
  ...keywordTokens,
  Identifier,
  LBrace,
  RBrace,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Colon,
  Comma,
  Pipe,
  Equals,
];

export const vaeLexer = new Lexer(allTokens, {
  ensureOptimizations: false,
  positionTracking: "full",
});
