import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-NJIC3Q2L.mjs";import"./chunk-HOQXO3OE.mjs";import"./chunk-3ZWMAIE6.mjs";export{d as HttpError,f as JsonHttp,a as USER_AGENT,e as describeFailure,b as isUntrustedCertificate,g as parseRetryAfterMs,c as untrustedCertificateWords};
