import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-EIPVYS4R.mjs";import"./chunk-IKG4QPVS.mjs";import"./chunk-HZD6EWT2.mjs";import"./chunk-E57UK7MP.mjs";import"./chunk-3ZWMAIE6.mjs";export{b as DeploymentStateWriter,a as PostStateWriter,d as postShouldCancel,c as readPostState};
