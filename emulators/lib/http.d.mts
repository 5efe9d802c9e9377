import type { FaultRule } from './faults.mjs';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** parsed JSON, form fields, or the raw text */
  body: any;
  rawBody: string;
  /** Date.now() when the request arrived */
  at: number;
  endpoint: string;
  /** HTTP status sent, or 'reset' | 'reset-mid-body' | 'client-gone' | 'trickle-<status>' (still trickling) */
  status: number | string | undefined;
  /** 1-based call number of this endpoint (since the last setFaults) */
  call: number;
  fault?: FaultRule;
  truncated?: boolean;
  /** set when a hostile emulator option made the response off-spec on purpose (names the field) */
  hostile?: string;
  /** bytes of an `oversize` body */
  oversize?: number;
  /** The body sent for a complete response (undefined for faults that cut or drop it). */
  responseBody?: unknown;
}
export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
export declare const json: (status: number, body?: unknown, headers?: Record<string, string>) => HandlerResult;
export declare function parseBody(raw: Buffer, contentType?: string): unknown;
export declare function matchPath(pattern: string, pathname: string): Record<string, string> | null;
export interface JsonServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  setFaults(rules: FaultRule[]): void;
  readonly faultCounts: Map<string, number>;
  readonly isUp: boolean;
  goDown(ms: number): Promise<void>;
  waitUntilUp(): Promise<void>;
  close(): Promise<void>;
}
export declare function startJsonServer(options: {
  port?: number;
  route: (method: string, pathname: string) => unknown;
  faults?: FaultRule[];
  faultBody: (endpoint: string, status: number) => unknown;
  commonHeaders?: () => Record<string, string>;
  notFound?: () => HandlerResult;
}): Promise<JsonServer>;
export declare function router(
  routes: Array<{ method: string; pattern: string; endpoint: string; handle: (ctx: any) => unknown }>,
  options?: { methodNotAllowed?: () => HandlerResult },
): (method: string, pathname: string) => unknown;
