// Ctrl-C (SIGINT) during a long command: print what was kept and the command that continues,
// then exit 2 (the command did not finish). Checkpoints are written atomically after each epoch,
// so the one on disk is the last complete epoch; the run directory's lock is released by its
// exit handler. The trainer yields to the event loop every few steps, so this runs mid-epoch.
import { EXIT } from "./exit.js";

/** `args` as a shell reads them back: plain words bare, anything else in single quotes. */
export function shellWords(args: readonly string[]): string {
  return args
    .map((a) =>
      /^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`,
    )
    .join(" ");
}

/**
 * Until the returned function is called, SIGINT (and SIGTERM) print `message()` on stderr and
 * exit 2.
 */
export function onInterrupt(
  message: () => string,
  write: (text: string) => void,
): () => void {
  const handler = (): void => {
    write(`\n${message()}\n`);
    process.exit(EXIT.couldNotRun);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.removeListener("SIGINT", handler);
    process.removeListener("SIGTERM", handler);
  };
}
