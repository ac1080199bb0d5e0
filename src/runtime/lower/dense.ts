// A dense layer with a hand-written gradient. On the wasm backend, tfjs's built-in matMul gradient
// uses transposed matMul flags that run ~10× slower than plain matMul (PERF-NOTES.md); this layer's
// backward pass uses tf.transpose + plain matMul, and skips the input gradient for data inputs.
import * as tf from "@tensorflow/tfjs";

type Arg = tf.Tensor | tf.GradSaveFunc;

/** y = x W + b with W [in, out], b [out]. */
export function dense(
  x: tf.Tensor2D,
  kernel: tf.Variable,
  bias: tf.Variable,
  inputIsData: boolean,
): tf.Tensor2D {
  if (inputIsData) {
    // x is data: no gradient is needed for it, so it is closed over rather than an input.
    const f = tf.customGrad((...args: Arg[]) => {
      const [w, b] = args as [tf.Tensor2D, tf.Tensor1D];
      return {
        value: tf.add(tf.matMul(x, w), b),
        gradFunc: (dy: tf.Tensor) => [
          tf.matMul(tf.transpose(x), dy as tf.Tensor2D),
          tf.sum(dy, 0),
        ],
      };
    });
    return f(kernel, bias) as tf.Tensor2D;
  }
  const f = tf.customGrad((...args: Arg[]) => {
    const [input, w, b, save] = args as [
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor1D,
      tf.GradSaveFunc,
    ];
    save([input, w]);
    return {
      value: tf.add(tf.matMul(input, w), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const g = dy as tf.Tensor2D;
        const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
        return [
          tf.matMul(g, tf.transpose(ws)),
          tf.matMul(tf.transpose(xs), g),
          tf.sum(g, 0),
        ];
      },
    };
  });
  return f(x, kernel, bias) as tf.Tensor2D;
}

export function activate(x: tf.Tensor2D, activation: string): tf.Tensor2D {
  switch (activation) {
    case "linear":
      return x;
    case "relu":
      return tf.relu(x);
    case "leaky_relu":
      return tf.leakyRelu(x, 0.01);
    case "elu":
      return tf.elu(x);
    case "tanh":
      return tf.tanh(x);
    case "sigmoid":
      return tf.sigmoid(x);
    case "softplus":
      return tf.softplus(x);
    default:
      throw new Error(`unknown activation ${activation}`);
  }
}
