// Types for proxy.mjs.

export interface ProxyRequest {
  /** 'CONNECT' for tunnels, else the forwarded request's method */
  method: string;
  /** 'host:port' for CONNECT, the absolute URI for forwarded requests */
  target: string;
  host: string;
  port: number;
  /** Date.now() when the request arrived */
  at: number;
  /** 200 for an established tunnel, the upstream status when forwarded, 403 refused, 400/502 errors */
  status: number | null;
}

export interface ProxyHandle {
  /** http://127.0.0.1:PORT (use as HTTP_PROXY / HTTPS_PROXY) */
  url: string;
  port: number;
  requests: ProxyRequest[];
  close(): Promise<void>;
}

export interface StartProxyOptions {
  port?: number;
  /** Host -> IP. Null/undefined or a non-loopback IP refuses the request with 403. Default: resolveLocalhost. */
  resolve?: (host: string) => string | null | undefined | Promise<string | null | undefined>;
}

export function startProxy(options?: StartProxyOptions): Promise<ProxyHandle>;
export function resolveLocalhost(host: string): string | null;
export function isLoopbackAddress(ip: string): boolean;
