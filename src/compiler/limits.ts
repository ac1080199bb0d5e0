// The compiler's numeric limits, in one place: the checker enforces them, the README cites them.

/**
 * The widest vector vaec accepts anywhere: a view, a latent, a hidden layer, an explicit head
 * width, a number of categories, and every width the compiler infers (heads, `concat`).
 *
 * 2^20 = 1,048,576 holds a flattened 1024×1024 grey image or 512×512 RGBA image. Why not more:
 * - tensors are float32, and tfjs's WebGL backend does its index arithmetic in float32, which
 *   represents every integer only up to 2^24: a row of width ≤ 2^20 is indexed exactly, with room
 *   to spare for offsets and strides.
 * - the weights of a dense layer number in × out ≤ 2^40, far below 2^53, so parameter counts and
 *   memory estimates are exact doubles.
 * Whether a model of legal widths fits in memory is a separate question, estimated at run time.
 */
export const MAX_WIDTH = 2 ** 20;

/** The largest integer setting (epochs, batch, seed, samples, ...): above it doubles skip integers. */
export const MAX_INTEGER = Number.MAX_SAFE_INTEGER;
