import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g,h}from"./chunk-O7IBUHWZ.mjs";import"./chunk-HOQXO3OE.mjs";import"./chunk-3ZWMAIE6.mjs";export{d as HttpError,g as JsonHttp,a as USER_AGENT,e as describeFailure,b as isUntrustedCertificate,h as parseRetryAfterMs,f as requestLine,c as untrustedCertificateWords};
