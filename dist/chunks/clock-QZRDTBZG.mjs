import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c}from"./chunk-DKLRREAI.mjs";import"./chunk-PCILPU2K.mjs";import"./chunk-SCOMWWMW.mjs";import"./chunk-W4EABK35.mjs";import"./chunk-3ZWMAIE6.mjs";export{c as clockFor,a as sleep,b as systemClock};
