// The one catalog of every diagnostic vaec reports: code, severity, message template.
// Templates use {0}, {1}, … for arguments. Codes are stable: tests, docs and users rely on them.

export type Severity = "error" | "warning";

export interface MessageDef {
  code: string;
  severity: Severity;
  message: string;
  /** One line for the README's diagnostic table. */
  explain: string;
}

function e(code: string, message: string, explain: string): MessageDef {
  return { code, severity: "error", message, explain };
}
function w(code: string, message: string, explain: string): MessageDef {
  return { code, severity: "warning", message, explain };
}

export const Messages = {
  // Syntax (lexer and parser).
  UnexpectedCharacter: e(
    "E001",
    "unexpected character `{0}`",
    "The lexer met a character that starts no token.",
  ),
  UnexpectedToken: e(
    "E002",
    "expected {0}, found {1}",
    "The parser expected a specific token here.",
  ),
  NoViableAlternative: e(
    "E003",
    "expected {0}, found {1}",
    "None of the constructs allowed here starts with this token.",
  ),
  UnterminatedString: e(
    "E004",
    "unterminated string literal",
    'A string opened with `"` is not closed on the same line.',
  ),
  UnterminatedComment: e(
    "E005",
    "unterminated block comment",
    "A `/*` comment is never closed with `*/`.",
  ),
  WrongDensitySymbol: e(
    "E006",
    "{0} is written `{1}(...)`, found `{2}(...)`",
    "Priors and decoders use `p(...)`, encoders use `q(...)`.",
  ),
  InvalidEscape: e(
    "E007",
    "invalid escape `{0}` in a string literal",
    'A backslash in a string starts none of the escapes `\\"` `\\\\` `\\/` `\\b` `\\f` `\\n` `\\r` `\\t` `\\uXXXX`.',
  ),
  ControlCharacter: e(
    "E008",
    "control character {0} in a string literal",
    "A tab or other control character stands raw inside a string; write it as an escape (`\\t`, `\\u0000`).",
  ),
  InputLimit: e(
    "E009",
    "{0} is over vaec's limit of {1}",
    "The input passes one of the compiler's limits: `(`, `[` and `{` nest at most 64 deep (a model's braces included), and a file has at most 1,048,576 tokens.",
  ),
  TooManyErrors: e(
    "E099",
    "too many errors: stopped after the first {0}",
    "A file reports at most 100 errors; fix those and check again for the rest.",
  ),

  // Names and declarations.
  UnknownName: e(
    "E010",
    "unknown name `{0}`",
    "An expression refers to a name that is not a view, latent or `let` value.",
  ),
  UnknownDistribution: e(
    "E011",
    "unknown distribution `{0}`",
    "The distribution is not in the registry.",
  ),
  UnknownActivation: e(
    "E012",
    "unknown activation `{0}`",
    "The activation function is not one vaec provides.",
  ),
  UnknownFunction: e(
    "E013",
    "unknown {0} `{1}`",
    "A network, data source, optimizer, schedule or KL method name is not known.",
  ),
  DuplicateDeclaration: e(
    "E014",
    "`{0}` is declared twice",
    "Two declarations (views, latents, `let` values, models, settings) share a name.",
  ),
  UnknownModel: e(
    "E015",
    "no model named `{0}` in this file",
    "A `train` block names a model that is not declared.",
  ),
  UnknownSupport: e(
    "E016",
    "unknown support `{0}`",
    "A view or latent type must be `real`, `binary` or `categorical`.",
  ),
  EncoderUnknownView: e(
    "E017",
    "encoder conditions on `{0}`, which is not a declared view",
    "An encoder's `q(z | ...)` lists something that is not a `data` view.",
  ),
  DecoderUnknownView: e(
    "E018",
    "decoder explains `{0}`, which is not a declared view",
    "A decoder's `p(x | ...)` names something that is not a `data` view.",
  ),
  UnknownLatent: e(
    "E019",
    "{0} for `{1}`, which is not a declared latent",
    "A prior or encoder targets something that is not a `latent`.",
  ),

  // Model structure.
  MissingPrior: e(
    "E020",
    "latent `{0}` has no prior",
    "Every latent needs `prior p(z) = ...`.",
  ),
  MissingEncoder: e(
    "E021",
    "latent `{0}` has no encoder",
    "Every latent needs `encoder q(z | view) = ...`.",
  ),
  DuplicateComponent: e(
    "E022",
    "second {0} for `{1}`",
    "A latent has two priors or two encoders, or a view two decoders.",
  ),
  UnusedView: e(
    "E023",
    "view `{0}` is not used by any encoder or decoder",
    "Every declared view must be encoded or explained (two-view and multi-view models included).",
  ),
  NetInputNotInScope: e(
    "E024",
    "`{0}` is not available to {1}",
    "A network reads a value its component cannot see (an encoder sees its conditioning views, a decoder its latents).",
  ),
  EncoderConditionsOnOwnLatent: e(
    "E025",
    "encoder for `{0}` conditions on `{0}` itself",
    "q(z | ...) may not list the latent it encodes.",
  ),
  CyclicValue: e(
    "E026",
    "`let` values form a cycle: {0}",
    "Named values refer to each other in a loop.",
  ),
  MissingComponent: e(
    "E027",
    "model `{0}` has no {1}",
    "A model needs at least one view, one latent and one decoder.",
  ),
  DecoderConditioning: e(
    "E028",
    "decoder for `{0}` conditions on `{1}`, which is not a latent",
    "p(x | ...) lists the latents the decoder reads.",
  ),
  PriorConditioning: e(
    "E029",
    "prior p({0}) may not be conditioned",
    "Priors are unconditional: write `p(z)`.",
  ),

  // Distributions.
  DistributionRole: e(
    "E030",
    "`{0}` cannot be used as {1}",
    "Each distribution has the roles it can play (prior, encoder, likelihood).",
  ),
  SupportMismatch: e(
    "E031",
    "`{0}` models {1} data, but view `{2}` is {3}",
    "A likelihood must match the declared support of the view it explains.",
  ),
  MissingArgument: e(
    "E032",
    "`{0}` needs argument `{1}`",
    "A required parameter or argument is missing.",
  ),
  UnknownArgument: e(
    "E033",
    "`{0}` has no argument `{1}`",
    "A named argument is not one the function or distribution takes.",
  ),
  DuplicateArgument: e(
    "E034",
    "argument `{0}` is given twice",
    "The same parameter appears twice in one call.",
  ),
  WrongArgumentKind: e(
    "E035",
    "{0} must be {1}, found {2}",
    "An argument has the wrong kind of value (a number, a network, a name...).",
  ),
  NoClosedFormKl: e(
    "E036",
    "no closed-form KL divergence for KL({0} ‖ {1})",
    "`kl = analytic` for a posterior/prior pair that has no registered closed form.",
  ),
  TooManyArguments: e(
    "E037",
    "`{0}` takes at most {1} positional argument(s), found {2}",
    "A call has more positional arguments than its signature.",
  ),
  NoModel: e(
    "E039",
    "no model declared in this file",
    "A `.vae` file must declare at least one `model name { ... }`.",
  ),
  LatentSupport: e(
    "E038",
    "latent `{0}` must be `real[d]`, found `{1}`",
    "Latents are continuous vectors.",
  ),

  // Numbers and widths.
  OutOfRange: e(
    "E040",
    "{0} must be {1}, found {2}",
    "A number is outside its allowed range (β > 0, lr > 0, batch ≥ 1, ...).",
  ),
  WidthMismatch: e(
    "E041",
    "{0} has width {1}, but {2} needs {3}",
    "An explicit width disagrees with the width the compiler inferred.",
  ),
  NotAnInteger: e(
    "E042",
    "{0} must be an integer, found {1}",
    "Sizes, counts and seeds are whole numbers.",
  ),
  CannotInferWidth: e(
    "E043",
    "cannot infer the output width of {0}",
    "A network head feeds nothing whose width is known.",
  ),
  ConflictingWidths: e(
    "E044",
    "`{0}` is used with width {1} and with width {2}",
    "A named value feeds two consumers that need different widths.",
  ),
  WrongValueKind: e(
    "E045",
    "expected {0} here, found {1}",
    "An expression of the wrong kind stands where a setting expects another.",
  ),
  EmptyList: e(
    "E046",
    "{0} must not be empty",
    "A list of hidden widths or views is empty.",
  ),

  // Train block and data sources.
  UnknownSetting: e(
    "E050",
    "unknown train setting `{0}`",
    "A `train` block entry is not one vaec reads.",
  ),
  MissingSetting: e(
    "E051",
    "train block for `{0}` has no `{1}`",
    "A required train setting (the training data) is missing.",
  ),
  ViewNotInSource: e(
    "E052",
    "view `{0}` is not provided by {1}",
    "The data source has no field for a model view; bind it with `views = { ... }`.",
  ),
  SourceWidthMismatch: e(
    "E053",
    "view `{0}` is declared {1}, but {2} provides {3}",
    "The data a source yields does not fit the declared view.",
  ),
  DuplicateTrain: e(
    "E054",
    "model `{0}` has two train blocks",
    "Each model has at most one `train` block.",
  ),
  UnknownBindingView: e(
    "E055",
    "`views` binds `{0}`, which is not a view of model `{1}`",
    "A `views = { ... }` entry names no data view.",
  ),
  UnknownSourceField: e(
    "E057",
    "{0} has no field `{1}`",
    "A view binding names a field the data source does not provide.",
  ),
  UnusedValue: w(
    "W056",
    "`let` value `{0}` is never used",
    "A named value feeds nothing.",
  ),
} as const satisfies Record<string, MessageDef>;

export type MessageName = keyof typeof Messages;

export const allMessages: readonly MessageDef[] = Object.values(Messages);
