import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-HUI4RURW.mjs";import"./chunk-RHLP5Z6K.mjs";import"./chunk-UWVEE3XH.mjs";import"./chunk-3ZWMAIE6.mjs";export{b as HttpError,c as JsonHttp,a as USER_AGENT,d as parseRetryAfterMs};
