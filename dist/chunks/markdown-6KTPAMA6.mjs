import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{h as a,i as b,j as c,k as d,l as e,m as f}from"./chunk-NHFG446C.mjs";import"./chunk-4WURTNQN.mjs";import"./chunk-3ZWMAIE6.mjs";export{b as MAX_FENCE,a as MAX_MARKDOWN_CHARS,d as consoleOrigin,e as renderReport,f as renderTail,c as stripAnsi};
