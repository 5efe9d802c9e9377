import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a as n,f as e,g as t,h as o,i as r,l as i,n as s}from"./chunk-I2X2CQYD.mjs";import"./chunk-3ZWMAIE6.mjs";var k=s(i({access_token:r(t(),n(1,"a token")),expires_in:e(o()),issued_token_type:t(),scope:t(),token_type:t(),refresh_token:e(t())}));export{k as tokenGrant};
