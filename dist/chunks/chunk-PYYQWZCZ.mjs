import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{g as e,h as i,i as t}from"./chunk-M3GZYUSK.mjs";var n;function d(o){n=o}function f(o){n?.(),t(o)}function p(o,r){n?.(),i(o,r)}function s(o,r){n?.(),e(o,r)}export{d as a,f as b,p as c,s as d};
