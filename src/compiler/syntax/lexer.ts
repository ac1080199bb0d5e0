// The `.vae` tokens. Comments go to their own group so the formatter can keep them.
import { createToken, Lexer, type TokenType } from "chevrotain";

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
export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: /"(?:[^"\\\n\r]|\\.)*"/,
  label: "a string",
});
/** A string without its closing quote; reported as E004 and dropped. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\n\r]|\\.)*/,
});

export const LineComment = createToken({
  name: "LineComment",
  pattern: /\/\/[^\n\r]*/,
  group: "comments",
});
export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*[\s\S]*?\*\//,
  group: "comments",
  line_breaks: true,
});
/** A block comment that never closes; reported as E005 and dropped. */
export const UnterminatedComment = createToken({
  name: "UnterminatedComment",
  pattern: /\/\*[\s\S]*/,
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
