import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-HJJDNRRP.mjs";import"./chunk-3ZWMAIE6.mjs";export{e as STALE_LOCK_MS,c as credentialsFilePath,b as homeFolder,d as removeTokensFromCredentials,a as tokenHash};
