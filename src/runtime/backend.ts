// Selects the tfjs backend: wasm by default, the pure-JS cpu backend as fallback, and tfjs-node
// (`tensorflow`) only when it can be imported — it is never a dependency (its install script
// downloads libtensorflow from a host these machines cannot reach). tfjs runs in production mode:
// its console notices (the "install our node backend" banner) are off.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import type { BackendName } from "./backend-names.js";
import { quietTfjs } from "./quiet.js";

export { backendNames, type BackendName } from "./backend-names.js";
export { quietTfjs } from "./quiet.js";

/** A backend cannot be used, or a model does not fit in its memory. */
export class BackendError extends Error {}

const require = createRequire(import.meta.url);

async function tryTensorflow(): Promise<boolean> {
  try {
    // A variable specifier keeps TypeScript from requiring the optional package's types.
    const name = "@tensorflow/tfjs-node";
    await import(name);
    return true;
  } catch {
    return false;
  }
}

/** Activates `name` and returns the backend actually running. Throws BackendError if unavailable. */
export async function initBackend(name: BackendName = "wasm"): Promise<string> {
  quietTfjs();
  if (name === "wasm") {
    setWasmPaths(
      join(
        dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")),
        "dist",
      ) + "/",
    );
  }
  if (name === "tensorflow" && !(await tryTensorflow())) {
    throw new BackendError(
      "the tensorflow backend needs @tensorflow/tfjs-node, which is not installed: run `npm install @tensorflow/tfjs-node` (its install script downloads a prebuilt libtensorflow), or use --backend wasm",
    );
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new BackendError(`the ${name} backend failed to initialise`);
  await tf.ready();
  return tf.getBackend();
}

/** Backends this process can run, in order of preference. */
export async function availableBackends(): Promise<BackendName[]> {
  const out: BackendName[] = ["wasm", "cpu"];
  if (await tryTensorflow()) out.push("tensorflow");
  return out;
}
