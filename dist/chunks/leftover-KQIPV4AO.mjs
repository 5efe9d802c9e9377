import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-A3HZA64K.mjs";import"./chunk-HZD6EWT2.mjs";import"./chunk-3ZWMAIE6.mjs";export{b as cancelLeftover,a as newestVersionBefore};
