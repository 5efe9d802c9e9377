import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{d as k}from"./chunk-JA4SLH6T.mjs";import{r as _}from"./chunk-RGSHHHOV.mjs";import{d as U,f as M,g as R,h as m,i as c,j as b}from"./chunk-P6N267NS.mjs";var j=["same","read","refresh"],D=/^[a-z][a-z-]{0,39}$/,X=e=>D.test(e);function se(e,n){let t=T(e)?.info.resourceChanges;return t?z(t,n):void 0}function z(e,n=()=>{}){let t=Object.assign(Object.create(null),{create:0,update:0,delete:0,replace:0,same:0}),s=Object.hasOwn(e,"replace"),r=[];for(let[o,a]of Object.entries(e)){if(typeof a!="number"||!Number.isSafeInteger(a)||a<0)return;if(!X(o)){r.push(o);continue}if(o==="create-replacement"||o==="delete-replaced"||o==="discard-replaced"){s||(t.replace=Math.max(t.replace,a));continue}t[o]=(t[o]??0)+a}return r.length&&n(r),t}function oe(e){return!!e&&Object.entries(e).some(([n,t])=>!j.includes(n)&&t>0)}function y(e){let n=Object.entries(e).filter(([t,s])=>s>0&&!j.includes(t)).map(([t,s])=>`${s} to ${M(t,40)}`);return n.length?n.join(", "):"no changes"}function T(e){return[...e].sort((n,t)=>n.version-t.version||n.info.startTime-t.info.startTime).at(-1)}function ie(e,n,t){if(!t||!e)return;let s=t.info.kind==="preview"?_(t.updateID)?["previews",t.updateID]:void 0:Number.isSafeInteger(t.version)&&t.version>=0?["updates",String(t.version)]:void 0;if(!s)return;let r=[n.organization,n.project,n.stack,...s].map(encodeURIComponent).join("/");try{return m(`${e.replace(/\/+$/,"")}/${r}`,new URL(e).origin)}catch{return}}var w={replace:["+-","to replace","replaced"],delete:["-","to delete","deleted"],create:["+","to create","created"],update:["~","to update","updated"],import:["=","to import","imported"],read:[">","to read","read"],refresh:["~","to refresh (drift)","refreshed (drift)"],discard:["<","to discard","discarded"],"remove-pending-replace":["-","to remove pending replace","removed pending replace"],"create-replacement":["++","to create replacement","created replacement"],"delete-replaced":["--","to delete original","deleted original"]},P=Object.keys(w),O=e=>Object.hasOwn(w,e)?w[e]:void 0,F=new Set(["create-replacement","delete-replaced","discard-replaced","import-replacement","read-replacement"]),H=400,K=50,W=10,S=(e,n)=>{let t=O(e);return t?n?t[1]:t[2]:`${n?"to ":""}${e}`};function V(e,n){let t=Object.entries(e).filter(([r,o])=>o>0&&r!=="same"&&!(F.has(r)&&(e.replace??0)>0));t.sort(([r],[o])=>C(r)-C(o));let s=t.map(([r,o])=>`${O(r)?.[0]??""} ${o} ${S(r,n)}`.trim());return e.same&&s.push(`${e.same} unchanged`),s.length?c(s.join(", "),2e3):"no changes"}var C=e=>{let n=P.indexOf(e);return n<0?P.length:n},v=class{constructor(n){this.limit=n}limit;text="";left=0;add(n){return this.text.length+n.length+1>this.limit?!1:(this.text+=`${n}
`,!0)}};function G(e){let n=new Set(e.replaceKeys),t=e.keys.map(r=>n.has(r)?`${c(r,100)} (forces replacement)`:c(r,100));e.more&&t.push(`${e.more} more`);let s=e.steps.length?`; steps: ${e.steps.map(r=>c(r,100)).join(", ")}`:"";return`- **${c(e.type,150)}** ${c(e.name,150)}${t.length?`: ${t.join(", ")}`:""}${s}`}var Y=e=>`- ${e.resource?`**${c(e.resource,200)}**: `:""}${c(e.message,500)}`;function q(e,n,t,s="https://app.pulumi.com"){let r=new v(Math.max(0,n-H)),o=e.omittedResources,a=e.preview?"Preview":e.kind==="update"?"Update":`${e.kind[0].toUpperCase()}${e.kind.slice(1)}`;if(!r.add(`#### ${c(a)}: resource plan
`))return"";r.add(`**${e.changes?V(e.changes,e.preview):"Pulumi sent no summary; the list below is from the resource events"}**
`);let d=e.diagnostics.filter(i=>i.severity==="error");if(d.length){r.add(`**Errors** (${d.length})
`);for(let i of d.slice(0,W))r.add(Y(i));r.add("")}if(e.policies.length){r.add(`**Policy findings** (${e.policies.length+e.omittedPolicies})
`),r.add("| Pack | Policy | Level | Resource | Message |"),r.add("|---|---|---|---|---|");let i=0;for(let f of e.policies.slice(0,K)){let x=f.severity==="error"?`\u274C ${c(f.level)}`:`\u26A0\uFE0F ${c(f.level)}`;if(!r.add(`| ${c(f.pack,100)} | ${c(f.policy,100)} | ${x} | ${f.resource?c(f.resource,200):"stack"} | ${c(f.message,300)} |`))break;i++}let l=e.policies.length+e.omittedPolicies-i;r.add(l>0?`
_${l} more policy findings not shown._
`:"")}let h=new Map;for(let i of e.resources){let l=h.get(i.op);l?l.push(i):h.set(i.op,[i])}let u=!0;for(let i of[...h.keys()].sort((l,f)=>C(l)-C(f))){let l=h.get(i),f=S(i,e.preview),x=`**${c(`${O(i)?`${O(i)[0]} `:""}${f[0].toUpperCase()}${f.slice(1)}`)}** (${l.length})
`;if(!u||!r.add(x)){u=!1,o+=l.length;continue}let $=0;for(;$<l.length&&r.add(G(l[$]));$++);o+=l.length-$,$<l.length&&(u=!1),r.add("")}let g=e.changes?.same,p=r.text;if(g&&(p+=`_${g} unchanged resources are not listed._
`),o>0){let i=m(t,s),l=i?`[the full plan in the Pulumi console](${i})`:"the full plan in the Pulumi console";p+=`
_${o} more changed resource${o===1?"":"s"} not shown here; see ${l}._
`}return p=p.replace(/:(?=:)/g,":\u200B").replace(/#\[/g,"#\u200B["),p.length<=n?p:p.slice(0,Math.max(0,p.lastIndexOf(`
`,n-1)+1))}function I(e,n){if(!e.length||n.budget<=0)return"";let t=Math.floor(n.budget/e.length);return e.map(s=>q(s,t,n.consoleUrl?.(s),n.consoleOrigin)).filter(Boolean).join(`
`)}var J=6e4,fe=3e5,Q=10,Z=2e3,B=12,he=U;function me(e){try{let n=new URL(e);return n.hostname.startsWith("api.")&&(n.hostname=`app.${n.hostname.slice(4)}`),n.origin}catch{return}}var E={succeeded:"\u2705",failed:"\u274C",skipped:"\u23ED\uFE0F"};function $e(e,n=J){let t=A(e,2e3);if(t.length>n-200&&(t=A(e,200)),t.length>n)return R(t,n);let s=e.plans??[],r=new Map(s.map(({plan:a,url:d})=>[a,d?m(d,e.consoleOrigin??"https://app.pulumi.com"):void 0])),o=s.length?`
${I(s.map(a=>a.plan),{budget:Math.floor((n-t.length)*.8),consoleUrl:a=>r.get(a),consoleOrigin:e.consoleOrigin})}`:"";return t+o+ee(e.tail,n-t.length-o.length,e.totalLines)}function A(e,n){let t=e.ok?Object.hasOwn(E,e.status)&&E[e.status]||"\u2705":e.status==="skipped"?"\u23ED\uFE0F":"\u274C",s=e.consoleOrigin??"https://app.pulumi.com",r=c(e.status,100),o=c(e.operation,50),a=[["Stack",b(e.stack)],["Operation",o],["Status",r]];e.durationMs!==void 0&&Number.isFinite(e.durationMs)&&a.push(["Duration",k(Math.round(e.durationMs/1e3))]);let d=m(e.deploymentUrl,s),h=Number.isSafeInteger(e.deploymentVersion)?`#${e.deploymentVersion}`:"open";d&&a.push(["Deployment",N(h,d)]);let u=m(e.updateUrl,s);u&&a.push([e.operation==="preview"?"Preview":"Update",N("open",u)]),e.failedStep&&a.push(["Failed step",c(e.failedStep,200)]);let g=e.changes?Object.keys(e.changes).slice(0,B):[];e.changes&&a.push(["Changes",c(y(e.changes),500)]),e.engineChanges&&e.contradictions?.length&&a.push(["Engine events",c(y(e.engineChanges),500)]),e.commit&&/^[0-9a-f]{7,64}$/i.test(e.commit)&&a.push(["Commit",b(e.commit)]);let p=`### ${t} Pulumi ${o} of ${b(e.stack)}: ${r}

${c(e.message,n)}

`;p+=`| | |
|---|---|
`+a.map(([i,l])=>`| ${i} | ${l} |`).join(`
`)+`
`;for(let i of e.contradictions??[])p+=`
> [!WARNING]
> ${c(i,500)}
`;if(g.length){let i=l=>c(String(e.changes[l]),20);p+=`
| ${g.map(l=>c(l,40)).join(" | ")} |
|${g.map(()=>"---:").join("|")}|
| ${g.map(i).join(" | ")} |
`}return p}function ee(e,n,t=e.length){if(!e.length||n<200)return"";let s=e.map(ne),r=0;for(let u of s)r=Math.max(r,L.exec(u)?.[1].length??0);let o="`".repeat(Math.min(Q,Math.max(3,r+1)));for(let u=0;u<s.length;u++){let g=L.exec(s[u])?.[1];g&&g.length>=o.length&&(s[u]=`\u200B${s[u]}`)}let a=(u,g)=>{let p=Math.max(g,t-u.length);return`
<details><summary>Last ${u.length} log lines</summary>

`+(p>0?`_${p} earlier lines not shown; the full log is in the deployment and the job log._

`:"")+`${o}
${u.join(`
`)}
${o}
</details>
`},d=s,h=a(d,0);if(h.length>n){let u=300+2*o.length,g=l=>l.length>n-u?R(l,Math.max(1,n-u-20)):l,p=u,i=s.length;for(;i>0&&p+g(s[i-1]).length+1<=n;)p+=g(s[--i]).length+1;d=s.slice(i).map(g),h=a(d,s.length-d.length)}return h}var L=/^ {0,3}(`{3,})[ \t]*$/;function ne(e){return R(U(String(e)).replace(/[\n\u2028\u2029]/g," "),Z)}var N=(e,n)=>`[${e}](${n})`;export{se as a,z as b,oe as c,y as d,T as e,ie as f,J as g,fe as h,Q as i,he as j,me as k,$e as l,ee as m};
