import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{d as $,e as m,f as h,g as b,h as f,i as y}from"./chunk-4WURTNQN.mjs";var k={create:"create",update:"update",delete:"delete",replace:"replace","create-replacement":"replace","delete-replaced":"replace","discard-replaced":"replace",same:"same"},x=["same","read","refresh"];function A(e){let t=U(e)?.info.resourceChanges;if(!t)return;let r={create:0,update:0,delete:0,replace:0,same:0};for(let[i,o]of Object.entries(t)){if(typeof o!="number"||!Number.isSafeInteger(o)||o<0)continue;if(i==="create-replacement"||i==="delete-replaced"||i==="discard-replaced"){t.replace===void 0&&(r.replace=Math.max(r.replace,o));continue}let a=k[i]??i;r[a]=(r[a]??0)+o}return r}function E(e){return!!e&&Object.entries(e).some(([n,t])=>!x.includes(n)&&t>0)}function M(e){let n=Object.entries(e).filter(([t,r])=>r>0&&!x.includes(t)).map(([t,r])=>`${r} to ${m(t,40)}`);return n.length?n.join(", "):"no changes"}function U(e){return[...e].sort((n,t)=>n.version-t.version||n.info.startTime-t.info.startTime).at(-1)}function z(e,n,t){if(!t)return;let r=`/${n.organization}/${n.project}/${n.stack}`,i=e.indexOf(`${r}/`);if(i<0)return;let o=e.slice(0,i)+r;return t.info.kind==="preview"?`${o}/previews/${t.updateID}`:`${o}/updates/${t.version}`}function X(e){for(let n of e?.jobs??[]){let t=n.steps?.find(r=>r.status==="failed");if(t)return m(t.name,200)}}function R(e){let n=Math.floor(e/3600),t=Math.floor(e%3600/60),r=Math.round(e%60);return[n&&`${n}h`,t&&`${t}m`,(r||!n&&!t)&&`${r}s`].filter(Boolean).join("")}var O=6e4,D=10,I=2e3,_=12,W=$;function q(e){try{let n=new URL(e);return n.hostname.startsWith("api.")&&(n.hostname=`app.${n.hostname.slice(4)}`),n.origin}catch{return}}var L={succeeded:"\u2705",failed:"\u274C",skipped:"\u23ED\uFE0F"};function B(e,n=O){let t=S(e,2e3);return t.length>n-200&&(t=S(e,200)),t.length>n?h(t,n):t+w(e.tail,n-t.length,e.totalLines)}function S(e,n){let t=e.ok?L[e.status]??"\u2705":e.status==="skipped"?"\u23ED\uFE0F":"\u274C",r=e.consoleOrigin??"https://app.pulumi.com",i=f(e.status,100),o=f(e.operation,50),a=[["Stack",y(e.stack)],["Operation",o],["Status",i]];e.durationMs!==void 0&&Number.isFinite(e.durationMs)&&a.push(["Duration",R(Math.round(e.durationMs/1e3))]);let g=b(e.deploymentUrl,r),d=Number.isSafeInteger(e.deploymentVersion)?`#${e.deploymentVersion}`:"open";g&&a.push(["Deployment",C(d,g)]);let s=b(e.updateUrl,r);s&&a.push([e.operation==="preview"?"Preview":"Update",C("open",s)]),e.failedStep&&a.push(["Failed step",f(e.failedStep,200)]);let c=e.changes?Object.keys(e.changes).slice(0,_):[];e.changes&&a.push(["Changes",f(M(e.changes),500)]);let p=`### ${t} Pulumi ${o} of ${y(e.stack)}: ${i}

${f(e.message,n)}

`;if(p+=`| | |
|---|---|
`+a.map(([l,u])=>`| ${l} | ${u} |`).join(`
`)+`
`,c.length){let l=u=>f(String(e.changes[u]),20);p+=`
| ${c.map(u=>f(u,40)).join(" | ")} |
|${c.map(()=>"---:").join("|")}|
| ${c.map(l).join(" | ")} |
`}return p}function w(e,n,t=e.length){if(!e.length||n<200)return"";let r=e.map(N),i=0;for(let s of r)i=Math.max(i,j.exec(s)?.[1].length??0);let o="`".repeat(Math.min(D,Math.max(3,i+1)));for(let s=0;s<r.length;s++){let c=j.exec(r[s])?.[1];c&&c.length>=o.length&&(r[s]=`\u200B${r[s]}`)}let a=(s,c)=>{let p=Math.max(c,t-s.length);return`
<details><summary>Last ${s.length} log lines</summary>

`+(p>0?`_${p} earlier lines not shown; the full log is in the deployment and the job log._

`:"")+`${o}
${s.join(`
`)}
${o}
</details>
`},g=r,d=a(g,0);if(d.length>n){let s=300+2*o.length,c=u=>u.length>n-s?h(u,Math.max(1,n-s-20)):u,p=s,l=r.length;for(;l>0&&p+c(r[l-1]).length+1<=n;)p+=c(r[--l]).length+1;g=r.slice(l).map(c),d=a(g,r.length-g.length)}return d}var j=/^ {0,3}(`{3,})[ \t]*$/;function N(e){return h($(String(e)).replace(/[\n\u2028\u2029]/g," "),I)}var C=(e,n)=>`[${e}](${n})`;export{X as a,R as b,A as c,E as d,M as e,U as f,z as g,O as h,D as i,W as j,q as k,B as l,w as m};
