import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-KMVUBKNG.mjs";import"./chunk-JGLLOJQC.mjs";import"./chunk-Q4KKX7NP.mjs";import"./chunk-3ZWMAIE6.mjs";export{b as CANCEL_AFTER_SIGNAL,c as CANCEL_AFTER_TIMEOUT,a as CREATE_GRACE_MS,d as Stop,f as cancelLeftover,e as isTerminal,g as parseServiceTime};
