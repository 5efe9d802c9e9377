// Continuation tokens of the emulator's paged endpoints (logs, engine events): opaque to clients,
// and bound to one deployment or update so a token cannot be replayed on another one.

/** `serial` makes each token new even at the same offset (an endless stream's tokens never repeat). */
export function encodeToken(offset, id, serial) {
  return Buffer.from(`${id.slice(0, 8)}:${offset}${serial ? `:${serial}` : ''}`).toString('base64url');
}

/** The offset a token stands for, or null when it is not one of ours for this id. */
export function decodeToken(token, id) {
  const m = /^([0-9a-f]{8}):(\d+)(?::\d+)?$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m || m[1] !== id.slice(0, 8)) return null;
  return Number(m[2]);
}
