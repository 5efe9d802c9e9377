import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c}from"./chunk-HVJKBE73.mjs";import"./chunk-57FNKWF3.mjs";import"./chunk-HYOBX7V5.mjs";import"./chunk-Q4KKX7NP.mjs";import"./chunk-3ZWMAIE6.mjs";export{a as PostStateWriter,c as postShouldCancel,b as readPostState};
