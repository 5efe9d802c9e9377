import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c}from"./chunk-FCAD7TLO.mjs";import"./chunk-YMQABXVS.mjs";import"./chunk-HYOBX7V5.mjs";import"./chunk-Q4KKX7NP.mjs";import"./chunk-3ZWMAIE6.mjs";export{a as PostStateWriter,c as postShouldCancel,b as readPostState};
