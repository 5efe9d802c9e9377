// The root stack's outputs, as the step output `outputs`. A secret reaches the events either as
// the string "[secret]" or as Pulumi's secret envelope; both become "[secret]". Nothing is
// decrypted, and no envelope or ciphertext ever leaves this function.

/** Pulumi's signature key: an object holding it is a special value (secret, asset, archive, reference). */
export const SIG_KEY = '4dabf18193072939515e22adb298388d';
/** Special values that are not secret and may be shown as they are. */
export const PLAIN_SIGS: ReadonlySet<string> = new Set([
  'c44067f5952c0a294b673a41bacd8c17', // asset
  '0def7320c3a5731c473e5ecbe6d01bc7', // archive
  '5cf8f73096256a8f31e491e813e4eb8e', // resource reference
]);
export const SECRET = '[secret]';
const MAX_DEPTH = 32;
/** Larger outputs are left out (with a note) rather than written to GITHUB_OUTPUT. */
export const MAX_OUTPUTS_CHARS = 512 * 1024;

function clean(value: unknown, depth: number): unknown {
  if (value === SECRET) return SECRET;
  if (value === null || typeof value !== 'object') return typeof value === 'number' && !Number.isFinite(value) ? null : value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1));
  const obj = value as Record<string, unknown>;
  // Fail closed: any special value that is not known to be plain, or anything with a ciphertext, is a secret.
  if (SIG_KEY in obj && !PLAIN_SIGS.has(String(obj[SIG_KEY]))) return SECRET;
  if ('ciphertext' in obj) return SECRET;
  const out: Record<string, unknown> = {};
  // defineProperty: a key named __proto__ must stay a key, not become a prototype.
  for (const [k, v] of Object.entries(obj)) Object.defineProperty(out, k, { value: clean(v, depth + 1), enumerable: true, writable: true, configurable: true });
  return out;
}

/** A copy of the outputs with every secret replaced by "[secret]". */
export function stackOutputs(outputs: Record<string, unknown>): Record<string, unknown> {
  return clean(outputs, 0) as Record<string, unknown>;
}

/** The value for the `outputs` step output, or undefined (with why) when there is none to set. */
export function outputsJson(outputs: Record<string, unknown> | undefined): { json?: string; note?: string } {
  if (!outputs) return { note: 'the update reported no stack outputs' };
  const json = JSON.stringify(outputs);
  // No count: a string this long reached us cut (MAX_EVENT_STRING_CHARS), so the length here is not the stack's.
  if (json.length > MAX_OUTPUTS_CHARS) return { note: `the stack outputs are longer than the ${MAX_OUTPUTS_CHARS} characters the action sets as an output` };
  return { json };
}
