// The `vae` command's exit codes and its last resort. 0 ok, 1 invalid spec, 2 the command could
// not run (bad flag, file, data, backend, memory, interrupted, or an internal error), 3 training
// stopped on a non-finite term. An error nothing else expected — a bug — prints one line asking
// for a report (its stack only with VAE_DEBUG=1) and exits 2: the command could not run, and 3
// keeps its one meaning. The last resort also covers what escapes every `try`: uncaught
// exceptions, unhandled rejections (the wasm backend's own handlers would exit 7), and any exit
// code outside 0–3.

export const EXIT = {
  ok: 0,
  invalidSpec: 1,
  couldNotRun: 2,
  nonFinite: 3,
} as const;

/** A flag or argument the command cannot use; the message names the flag as the user types it. */
export class UsageError extends Error {}

const debug = (): boolean => process.env["VAE_DEBUG"] === "1";

/** One line: the error's message with line breaks folded, never a stack trace. */
function oneLine(err: unknown): string {
  const message =
    err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const text = message.replace(/\s*[\r\n]+\s*/g, " ").trim();
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

function stackOf(err: unknown): string {
  return debug() && err instanceof Error && err.stack ? `${err.stack}\n` : "";
}

/** The message for an error the command did not expect (exit 2). */
export function internalErrorMessage(err: unknown): string {
  if (err instanceof WebAssembly.RuntimeError)
    return `vae: the wasm backend stopped (${oneLine(err)}); the model, batch or data may need more memory than its 4 GiB heap: try a smaller --batch or --limit, or --backend cpu; if that does not help, please report this, with the command and the spec\n${stackOf(err)}`;
  return `vae: internal error: ${oneLine(err)} (please report this, with the command and the spec)\n${stackOf(err)}`;
}

let installed = false;

/**
 * Installs the last resort, before anything else registers process handlers (the wasm backend
 * adds its own later; listeners run in order, so this one exits first).
 */
export function installLastResort(write: (text: string) => void): void {
  if (installed) return;
  installed = true;
  const die = (err: unknown): void => {
    try {
      write(internalErrorMessage(err));
    } finally {
      process.exit(EXIT.couldNotRun);
    }
  };
  process.on("uncaughtException", die);
  process.on("unhandledRejection", die);
  process.on("exit", (code) => {
    if (!Number.isInteger(code) || code < 0 || code > 3)
      process.exitCode = EXIT.couldNotRun;
  });
}
