import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{i as a,j as b,k as c,l as d,m as e,n as f,o as g}from"./chunk-WQSV6AM4.mjs";import"./chunk-4WURTNQN.mjs";import"./chunk-3ZWMAIE6.mjs";export{c as MAX_FENCE,a as MAX_MARKDOWN_CHARS,b as SUMMARY_MAX_CHARS,e as consoleOrigin,f as renderReport,g as renderTail,d as stripAnsi};
