import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-ZOQ5XBO2.mjs";import"./chunk-AAAE4L5L.mjs";import"./chunk-PCILPU2K.mjs";import"./chunk-SCOMWWMW.mjs";import"./chunk-W4EABK35.mjs";import"./chunk-3ZWMAIE6.mjs";export{b as DeploymentStateWriter,a as PostStateWriter,d as postShouldCancel,c as readPostState};
