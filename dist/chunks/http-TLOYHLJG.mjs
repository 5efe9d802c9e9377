import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-2H6RPHVY.mjs";import"./chunk-P7JW5LV5.mjs";import"./chunk-ATQJYFF7.mjs";import"./chunk-3ZWMAIE6.mjs";export{b as HttpError,c as JsonHttp,a as USER_AGENT,d as parseRetryAfterMs};
