// Types of fresh-build.mjs, for the tests that import it.
export function fingerprint(root: string, inputs: string[], skip?: (rel: string) => boolean): string;
export function withLock<T>(lock: string, fn: () => T | Promise<T>): Promise<T>;
export function ensureFresh(options: { key: string; output: string; stamp: string; lock: string; build: () => void | Promise<void> }): Promise<boolean>;
export function compileServer(root: string, out: string): Promise<void>;
