import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-UP6BEYHO.mjs";import"./chunk-3ZWMAIE6.mjs";export{e as NO_ID_TOKEN_MESSAGE,b as PRIVILEGED_PR_EVENTS,f as idTokenRequestEnv,a as readGitHubContext,c as triggeringCommit,d as workflowRepoUrl};
