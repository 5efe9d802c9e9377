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
  /** wait this long before answering */
  delayMs?: number;
  /** Runs the handler at once, delays only the answer. */
  answerDelayMs?: number;
}
export declare function checkRule(rule: FaultRule): FaultRule;
export declare function createFaultEngine(initialRules?: FaultRule[]): {
  setRules(list?: FaultRule[]): void;
  next(endpoint: string): { rule: FaultRule | null; call: number };
  readonly counts: Map<string, number>;
};
