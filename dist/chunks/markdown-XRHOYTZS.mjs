import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{h as a,i as b,j as c,k as d,l as e,m as f,n as g}from"./chunk-OIDUNVQ5.mjs";import"./chunk-Q4KKX7NP.mjs";import"./chunk-3ZWMAIE6.mjs";export{c as MAX_FENCE,a as MAX_MARKDOWN_CHARS,b as SUMMARY_MAX_CHARS,e as consoleOrigin,f as renderReport,g as renderTail,d as stripAnsi};
