import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c}from"./chunk-VTAAAJDT.mjs";import"./chunk-IKG4QPVS.mjs";import"./chunk-E57UK7MP.mjs";import"./chunk-3ZWMAIE6.mjs";export{c as clockFor,a as sleep,b as systemClock};
