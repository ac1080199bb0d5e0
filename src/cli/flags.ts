// The `vae` command's flag values, checked before any runtime module loads: every message names
// the flag as the user types it (`-n`, `--epochs`, `-o`) and quotes the value given.
import { statSync } from "node:fs";
import { dirname, extname } from "node:path";
import { backendNames, type BackendName } from "../runtime/backend-names.js";
import { UsageError } from "./exit.js";

/**
 * The range of each whole-number flag. Seeds are hashed as 32-bit words, so larger ones would
 * repeat smaller ones; sizes stay within tfjs's 32-bit indices; `--epochs` and `--iw` stop at a
 * million, which no run needs and which catches a mistyped 1e400; `-n` at the 10 000 images a
 * sample grid can usefully show.
 */
export const RANGES = {
  "--epochs": [1, 1_000_000],
  "--batch": [1, 2 ** 31 - 1],
  "--seed": [0, 2 ** 32 - 1],
  "--limit": [1, 2 ** 31 - 1],
  "--iw": [0, 1_000_000],
  "-n": [1, 10_000],
} as const satisfies Record<string, readonly [number, number]>;

export type IntFlag = keyof typeof RANGES;

/** A value as a message shows it: bare when plain, otherwise quoted; cut when very long. */
export function shown(value: string): string {
  const cut = value.length > 120 ? `${value.slice(0, 120)}…` : value;
  return /^[\x21-\x7e]+$/.test(value) && !value.includes('"') && cut === value
    ? value
    : JSON.stringify(cut);
}

export function intFlag(
  flag: IntFlag,
  value: string | undefined,
): number | undefined {
  if (value === undefined) return undefined;
  const [min, max] = RANGES[flag];
  const n = /^[0-9]{1,16}$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max))
    throw new UsageError(
      `${flag} must be a whole number from ${min} to ${max.toLocaleString("en-US")}, not ${shown(value)}`,
    );
  return n;
}

export function backendFlag(
  value: string | undefined,
): BackendName | undefined {
  if (value === undefined) return undefined;
  if (!(backendNames as readonly string[]).includes(value))
    throw new UsageError(
      `--backend must be one of ${backendNames.join(", ")}, not ${shown(value)}`,
    );
  return value as BackendName;
}

/** `--split`: "test" or "train" (the training data, `data` in the train block). */
export function splitFlag(
  value: string | undefined,
): "test" | "data" | undefined {
  if (value === undefined) return undefined;
  if (value !== "test" && value !== "train")
    throw new UsageError(`--split must be test or train, not ${shown(value)}`);
  return value === "train" ? "data" : "test";
}

export function emitFlag(value: string): "ir" | "summary" {
  if (value !== "ir" && value !== "summary")
    throw new UsageError(`--emit must be ir or summary, not ${shown(value)}`);
  return value;
}

/** `--beta 1e-4,1e-3`: distinct positive finite numbers. */
export function betaList(value: string): number[] {
  const parts = value.split(",").map((b) => b.trim());
  const betas = parts.map((b) => (/^[0-9.eE+-]+$/.test(b) ? Number(b) : NaN));
  if (betas.some((b) => !Number.isFinite(b) || b <= 0))
    throw new UsageError(
      `--beta must be a comma-separated list of positive numbers (like 1e-3,1e-2), not ${shown(value)}`,
    );
  const twice = betas.find((b, i) => betas.indexOf(b) !== i);
  if (twice !== undefined)
    throw new UsageError(`--beta lists ${twice} twice, in ${shown(value)}`);
  return betas;
}

/** `-o FILE.png`: a .png name in a folder that exists (the folder is not created). */
export function pngOutput(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (extname(value).toLowerCase() !== ".png")
    throw new UsageError(
      `-o must name a .png file (vae sample writes PNG images), not ${shown(value)}`,
    );
  const folder = dirname(value);
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    throw new UsageError(
      `-o: cannot write ${shown(value)}: no such folder ${shown(folder)}`,
    );
  }
  if (!isFolder)
    throw new UsageError(
      `-o: cannot write ${shown(value)}: ${shown(folder)} is not a folder`,
    );
  return value;
}
