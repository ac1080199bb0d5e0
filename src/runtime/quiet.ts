// tfjs's console notices off ("Hi, looks like you are running TensorFlow.js in Node.js..."): kept
// apart from backend.ts so that importing it does not also register the wasm backend.
import * as tf from "@tensorflow/tfjs";

/**
 * Turns off tfjs's console notices: in production mode its `warn`/`log` print nothing (in
 * tfjs 4.x the flag changes nothing else). Call before the first tensor exists.
 */
export function quietTfjs(): void {
  tf.enableProdMode();
}
