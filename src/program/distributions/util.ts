// Shared helpers for the distributions: parameter shapes, row alignment of stacked draws,
// noise checks, one-hot selection and Gumbel-max class draws, all as program ops.
import type { Sym } from "../builder.js";
import type { DistParams, NoiseSpec } from "./types.js";

export const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

function fail(family: string, why: string): never {
  throw new Error(`distribution '${family}': ${why}`);
}

const dims = (s: Sym): string => `[${s.shape.join(", ")}]`;

/** A required parameter as a 2-D value: a scalar becomes [1, 1], a vector [1, n]. */
export function param2d(params: DistParams, name: string, family: string): Sym {
  const t = params[name];
  if (t === undefined) {
    const have = Object.keys(params).join(", ") || "none";
    fail(family, `needs parameter '${name}' (given: ${have})`);
  }
  if (t.rank === 0) return t.reshape([1, 1]);
  if (t.rank === 1) return t.reshape([1, t.shape[0]!]);
  if (t.rank === 2) return t;
  return fail(family, `parameter '${name}' must have rank ≤ 2, got ${dims(t)}`);
}

/** Checks a parameter's column count is 1 (broadcast) or `cols`. */
export function checkCols(
  t: Sym,
  cols: number,
  name: string,
  family: string,
): void {
  const c = t.shape[1];
  if (c !== 1 && c !== cols)
    fail(family, `parameter '${name}' has ${c} columns, expected 1 or ${cols}`);
}

/** The common batch of several parameters: each has 1 row or the same number B. */
export function batchOf(family: string, ...ts: Sym[]): number {
  let b = 1;
  for (const t of ts) {
    const r = t.shape[0]!;
    if (r === 1) continue;
    if (b !== 1 && r !== b)
      fail(family, `parameter batch sizes ${b} and ${r} disagree`);
    b = r;
  }
  return b;
}

/** Checks data x is [N, width] with N a multiple of the batch; returns N. */
export function checkData(
  family: string,
  x: Sym,
  width: number,
  batch: number,
): number {
  const n = x.shape[0]!;
  if (x.rank !== 2 || x.shape[1] !== width)
    fail(family, `data must be [N, ${width}], got ${dims(x)}`);
  if (n % batch !== 0)
    fail(
      family,
      `${n} data rows do not line up with parameters of batch ${batch}`,
    );
  return n;
}

/** Checks a draw of `rows` rows is possible: a positive multiple of the batch (stacked draws). */
export function sampleRows(
  family: string,
  batch: number,
  rows: number,
): number {
  if (!Number.isInteger(rows) || rows < 1 || rows % batch !== 0)
    fail(
      family,
      `cannot draw ${rows} rows from parameters of batch ${batch} (need a positive multiple)`,
    );
  return rows;
}

/**
 * Checks the noise handed to a draw against what `noise(rows)` asks for (count and shapes; the
 * kind is the run's business) and returns the number of rows drawn.
 */
export function checkNoise(
  family: string,
  noise: readonly Sym[],
  expected: (rows: number) => NoiseSpec[],
): number {
  const rows = noise[0]?.shape[0];
  if (rows === undefined) fail(family, "a draw needs its noise (got none)");
  const want = expected(rows);
  const ok =
    noise.length === want.length &&
    want.every((w, i) => w.shape.join() === noise[i]!.shape.join());
  if (!ok) {
    const got = noise.map(dims).join(", ");
    const need = want
      .map((w) => `${w.kind} [${w.shape.join(", ")}]`)
      .join(", ");
    fail(family, `a draw of ${rows} rows reads noise ${need}, got ${got}`);
  }
  return rows;
}

/**
 * A parameter [1|B, c] lined up with `rows` rows: kept as is when it has 1 row (arithmetic
 * broadcasts) or `rows` rows, tiled when rows = S·B (stacked draws: row s·B + b is example b).
 */
export function alignRows(t: Sym, rows: number): Sym {
  const r = t.shape[0]!;
  if (r === 1 || r === rows) return t;
  if (rows % r !== 0)
    throw new Error(
      `cannot line up ${r} parameter rows with ${rows} data rows`,
    );
  return t.tile(t.shape.map((_, i) => (i === 0 ? rows / r : 1)));
}

/** A [1|B, 1|d] parameter broadcast to [rows, width] (its gradient sums back over the copies). */
export function full(t: Sym, rows: number, width: number): Sym {
  return t.broadcastTo([rows, width]);
}

/** The constant row [0, 1, …, k−1] of shape [1, k]: class indices to compare against. */
export function iota(like: Sym, k: number): Sym {
  return like.builder.constant(
    Array.from({ length: k }, (_, i) => i),
    [1, k],
  );
}

/** One-hot rows [N, k] of class indices [N, 1]: 1 where the index equals the column (no gather). */
export function oneHot(index: Sym, k: number): Sym {
  return index.equal(iota(index, k));
}

/**
 * Gumbel-max trick: argmax_k(logits_k + g_k) with g = −log(−log u), u ~ U(0, 1), is a draw
 * from softmax(logits). logits [1|R, k] lined up with u [rows, k]; returns indices [rows, 1].
 */
export function gumbelMax(logits: Sym, u: Sym): Sym {
  const rows = u.shape[0]!;
  const gumbel = u.log().neg().log().neg();
  return alignRows(logits, rows).add(gumbel).argmax(1);
}
