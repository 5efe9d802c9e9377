import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
var r=class extends Error{constructor(e,o,t){super(`Input '${e}': ${o}${t?`. ${t}`:""}`);this.input=e;this.name="InputError"}input};function i(n){return(n instanceof Error?n.message:String(n)).replace(/\s*\n\s*/g," ").trim()||"unknown error"}export{r as a,i as b};
