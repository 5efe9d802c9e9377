import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-YKEIFPUK.mjs";import"./chunk-I2X2CQYD.mjs";import"./chunk-3ZWMAIE6.mjs";export{a as authenticatedUser,e as checkRun,b as comments,f as commitPulls,d as written,c as writtenComment};
