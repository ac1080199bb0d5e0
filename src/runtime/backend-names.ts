// The names of the tfjs backends vaec can run on, without loading tfjs (the CLI validates
// `--backend` before it loads the runtime).
export type BackendName = "wasm" | "cpu" | "tensorflow";

export const backendNames: readonly BackendName[] = [
  "wasm",
  "cpu",
  "tensorflow",
];
