import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-HST6RBT6.mjs";import"./chunk-3ZWMAIE6.mjs";export{d as NO_ID_TOKEN_MESSAGE,e as idTokenRequestEnv,a as readGitHubContext,b as triggeringCommit,c as workflowRepoUrl};
