import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-P7OSZSEM.mjs";import"./chunk-AAAE4L5L.mjs";import"./chunk-3ZWMAIE6.mjs";export{b as cancelLeftover,a as newestVersionBefore};
