import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c}from"./chunk-OETQWVEV.mjs";import"./chunk-RGSHHHOV.mjs";import"./chunk-2Y3UQGRU.mjs";import"./chunk-P6N267NS.mjs";import"./chunk-3ZWMAIE6.mjs";export{a as PostStateWriter,c as postShouldCancel,b as readPostState};
