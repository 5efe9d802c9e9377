// Fault rules are plain data, shared by every emulator:
//   { endpoint: 'logs' | '*' | ['get', 'logs'], calls?: [1, 2], times?: n, status?: 500, body?: any,
//     headers?: {'Retry-After': '2'}, reset?: 'before-response' | 'mid-body', truncate?: true, delayMs?: 3000 }
// `calls` are 1-based call numbers of that endpoint (of all requests for '*'), counted from the
// last setRules() (or from start for the rules given at start). The first matching rule wins.
// Hostile-service kinds (the real handler runs unless `status` is given):
//   lateMs: 8000                          run the handler at once, answer this much later (a create that happened, answered late)
//   trickle: { bytesPerChunk, intervalMs } send the real response slowly: no socket idle timeout ever fires
//   rawBody: ''                           send this text as the body (claimed as JSON), status `status` ?? 200
//   oversize: n | { bytes, chunked }      pad the body with JSON whitespace to n bytes; chunked: no Content-Length

const KEYS = new Set(['endpoint', 'calls', 'times', 'status', 'body', 'headers', 'reset', 'truncate', 'delayMs', 'lateMs', 'trickle', 'rawBody', 'oversize']);
const RESETS = new Set(['before-response', 'mid-body']);

// Typos in test data should fail loudly, not silently disable a fault.
export function checkRule(rule) {
  if (!rule || typeof rule !== 'object') throw new TypeError('fault rule must be an object');
  for (const key of Object.keys(rule)) {
    if (!KEYS.has(key)) throw new TypeError(`unknown fault rule field '${key}'`);
  }
  const endpoints = [rule.endpoint].flat();
  if (!endpoints.length || endpoints.some((e) => typeof e !== 'string' || !e)) {
    throw new TypeError('fault rule needs an endpoint name (or "*")');
  }
  if (rule.calls !== undefined && (!Array.isArray(rule.calls) || rule.calls.some((n) => !Number.isInteger(n) || n < 1))) {
    throw new TypeError('fault rule calls must be an array of 1-based integers');
  }
  if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 0)) {
    throw new TypeError('fault rule times must be a non-negative integer');
  }
  if (rule.status !== undefined && (!Number.isInteger(rule.status) || rule.status < 100 || rule.status > 599)) {
    throw new TypeError('fault rule status must be an HTTP status code');
  }
  if (rule.reset !== undefined && !RESETS.has(rule.reset)) {
    throw new TypeError(`fault rule reset must be one of ${[...RESETS].join(', ')}`);
  }
  if (rule.delayMs !== undefined && !(typeof rule.delayMs === 'number' && rule.delayMs >= 0)) {
    throw new TypeError('fault rule delayMs must be a non-negative number');
  }
  if (rule.lateMs !== undefined && !(typeof rule.lateMs === 'number' && rule.lateMs >= 0)) {
    throw new TypeError('fault rule lateMs must be a non-negative number');
  }
  if (rule.trickle !== undefined) {
    const { bytesPerChunk, intervalMs, ...rest } = rule.trickle ?? {};
    if (!Number.isInteger(bytesPerChunk) || bytesPerChunk < 1 || !(typeof intervalMs === 'number' && intervalMs > 0) || Object.keys(rest).length) {
      throw new TypeError('fault rule trickle must be { bytesPerChunk: integer >= 1, intervalMs: > 0 }');
    }
  }
  if (rule.rawBody !== undefined && typeof rule.rawBody !== 'string') throw new TypeError('fault rule rawBody must be a string');
  if (rule.oversize !== undefined) {
    const bytes = typeof rule.oversize === 'number' ? rule.oversize : rule.oversize?.bytes;
    if (!Number.isInteger(bytes) || bytes < 1) throw new TypeError('fault rule oversize must be a byte count or { bytes, chunked? }');
  }
  const bodyKinds = ['reset', 'truncate', 'trickle', 'rawBody', 'oversize'].filter((k) => rule[k] !== undefined);
  if (bodyKinds.length > 1 && !(bodyKinds.length === 2 && bodyKinds.includes('rawBody') && bodyKinds.includes('trickle'))) {
    throw new TypeError(`fault rule: ${bodyKinds.join(' and ')} cannot be combined`);
  }
  return rule;
}

/** An API error body ({code, message}) whose message is `bytes` long: for rules' `body`. */
export function hugeErrorBody(status, bytes, char = 'x') {
  return { code: status, message: char.repeat(bytes) };
}

export function createFaultEngine(initialRules = []) {
  let rules = [];
  let counts = new Map();
  let total = 0;

  function setRules(list = []) {
    rules = list.map((rule) => ({ rule: checkRule(rule), endpoints: [rule.endpoint].flat(), used: 0 }));
    counts = new Map();
    total = 0;
  }

  // Counts this call and returns the rule to apply to it (or null).
  function next(endpoint) {
    const call = (counts.get(endpoint) ?? 0) + 1;
    counts.set(endpoint, call);
    total += 1;
    for (const entry of rules) {
      const wildcard = entry.endpoints.includes('*');
      if (!wildcard && !entry.endpoints.includes(endpoint)) continue;
      if (entry.rule.calls && !entry.rule.calls.includes(wildcard ? total : call)) continue;
      if (entry.rule.times !== undefined && entry.used >= entry.rule.times) continue;
      entry.used += 1;
      return { rule: entry.rule, call };
    }
    return { rule: null, call };
  }

  setRules(initialRules);
  return {
    setRules,
    next,
    /** calls seen per endpoint since the last setRules() */
    get counts() {
      return new Map(counts);
    },
  };
}
