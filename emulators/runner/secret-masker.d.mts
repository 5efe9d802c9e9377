// Types for secret-masker.mjs (unit tests compare the action's encodings with the runner's).
export { SecretMasker } from './runner.mjs';
/** The encoders actions/runner's HostContext registers, in its order: [name, encode]; '' means none. */
export const VALUE_ENCODERS: ReadonlyArray<readonly [string, (value: string) => string]>;
export function base64Shift(value: string, shift: number): string;
