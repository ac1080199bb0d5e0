// Shared helpers of the tfjs engine tests: float32 tensors of host arrays, and the error measure
// of a float32 result against a float64 (or another float32) one.
import * as tf from "@tensorflow/tfjs";

/** A host array: float64 feeds of the interpreter, or float32 host tensors. */
export interface HostArray {
  shape: readonly number[];
  data: ArrayLike<number>;
}

/** A float32 tensor of each array, by the same names (the caller disposes them). */
export const upload = (
  arrays: Record<string, HostArray>,
): Map<string, tf.Tensor> =>
  new Map(
    Object.entries(arrays).map(([k, v]) => [
      k,
      tf.tensor(Float32Array.from(v.data), [...v.shape], "float32"),
    ]),
  );

/**
 * The largest |got − want| / (1 + |want|): relative for large entries, absolute near 0, where
 * float32 rounding of a sum of cancelling terms is not small relative to the result.
 */
export function worst(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let e = 0;
  for (let k = 0; k < want.length; k++)
    e = Math.max(e, Math.abs(got[k]! - want[k]!) / (1 + Math.abs(want[k]!)));
  return e;
}
