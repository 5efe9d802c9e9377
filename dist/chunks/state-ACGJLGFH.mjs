import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c}from"./chunk-U7J3Y2NS.mjs";import"./chunk-NOFJC4UH.mjs";import"./chunk-Q4KKX7NP.mjs";import"./chunk-3ZWMAIE6.mjs";export{a as PostStateWriter,c as postShouldCancel,b as readPostState};
