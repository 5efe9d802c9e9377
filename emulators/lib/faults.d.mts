export interface FaultRule {
  /** endpoint name, '*' for every endpoint, or several names */
  endpoint: string | string[];
  /** 1-based call numbers of that endpoint (of all requests for '*'); every call when absent */
  calls?: number[];
  /** apply at most this many times */
  times?: number;
  /** answer with this status (the real handler does not run) */
  status?: number;
  /** body for `status` (default: the server's error shape) */
  body?: unknown;
  /** extra response headers, e.g. {'Retry-After': '2'} */
  headers?: Record<string, string>;
  /** 'before-response': drop the connection unanswered (handler does not run); 'mid-body': send headers and half the real body, then drop */
  reset?: 'before-response' | 'mid-body';
  /** send the real response as a 200 with its JSON cut in half (Content-Length of the cut body) */
  truncate?: boolean;
  /** wait this long before answering (the handler runs after the wait, so a client gone by then leaves nothing done) */
  delayMs?: number;
  /** run the real handler at once, then answer this much later (the create happened; its answer comes late) */
  lateMs?: number;
  /** send the response (real, or rawBody) `bytesPerChunk` bytes every `intervalMs`: never idle long enough for a socket timeout */
  trickle?: { bytesPerChunk: number; intervalMs: number };
  /** send this text as the body, claimed as application/json, with `status` (default 200); '' is an empty body */
  rawBody?: string;
  /** pad the real body with JSON whitespace to this many bytes (still valid JSON); chunked: no Content-Length, so only a running count can catch it */
  oversize?: number | { bytes: number; chunked?: boolean };
}
export declare function hugeErrorBody(status: number, bytes: number, char?: string): { code: number; message: string };
export declare function checkRule(rule: FaultRule): FaultRule;
export declare function createFaultEngine(initialRules?: FaultRule[]): {
  setRules(list?: FaultRule[]): void;
  next(endpoint: string): { rule: FaultRule | null; call: number };
  readonly counts: Map<string, number>;
};
