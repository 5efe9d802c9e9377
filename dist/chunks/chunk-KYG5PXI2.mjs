import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{d as b,e as m,f as h,g as f,h as $}from"./chunk-YUJ6ZBDR.mjs";function A(e){for(let n of e?.jobs??[]){let t=n.steps?.find(r=>r.status==="failed");if(t)return t.name}}function y(e){let n=Math.floor(e/3600),t=Math.floor(e%3600/60),r=Math.round(e%60);return[n&&`${n}h`,t&&`${t}m`,(r||!n&&!t)&&`${r}s`].filter(Boolean).join("")}var S={create:"create",update:"update",delete:"delete",replace:"replace","create-replacement":"replace","delete-replaced":"replace","discard-replaced":"replace",same:"same"},x=["same","read","refresh"];function N(e){let t=k(e)?.info.resourceChanges;if(!t)return;let r={create:0,update:0,delete:0,replace:0,same:0};for(let[o,i]of Object.entries(t)){if(typeof i!="number"||i<0)continue;if(o==="create-replacement"||o==="delete-replaced"||o==="discard-replaced"){t.replace===void 0&&(r.replace=Math.max(r.replace,i));continue}let a=S[o]??o;r[a]=(r[a]??0)+i}return r}function E(e){return!!e&&Object.entries(e).some(([n,t])=>!x.includes(n)&&t>0)}function M(e){let n=Object.entries(e).filter(([t,r])=>r>0&&!x.includes(t)).map(([t,r])=>`${r} to ${t}`);return n.length?n.join(", "):"no changes"}function k(e){return[...e].sort((n,t)=>n.version-t.version||n.info.startTime-t.info.startTime).at(-1)}function F(e,n,t){if(!t)return;let r=`/${n.organization}/${n.project}/${n.stack}`,o=e.indexOf(`${r}/`);if(o<0)return;let i=e.slice(0,o)+r;return t.info.kind==="preview"?`${i}/previews/${t.updateID}`:`${i}/updates/${t.version}`}var U=6e4,O=10,D=2e3,I=12;function P(e){try{let n=new URL(e);return n.hostname.startsWith("api.")&&(n.hostname=`app.${n.hostname.slice(4)}`),n.origin}catch{return}}var _={succeeded:"\u2705",failed:"\u274C",skipped:"\u23ED\uFE0F"};function V(e,n=U){let t=R(e,2e3);return t.length>n-200&&(t=R(e,200)),t.length>n?m(t,n):t+w(e.tail,n-t.length,e.totalLines)}function R(e,n){let t=e.ok?_[e.status]??"\u2705":e.status==="skipped"?"\u23ED\uFE0F":"\u274C",r=e.consoleOrigin??"https://app.pulumi.com",o=f(e.status,100),i=f(e.operation,50),a=[["Stack",$(e.stack)],["Operation",i],["Status",o]];e.durationMs!==void 0&&Number.isFinite(e.durationMs)&&a.push(["Duration",y(Math.round(e.durationMs/1e3))]);let g=h(e.deploymentUrl,r),d=Number.isSafeInteger(e.deploymentVersion)?`#${e.deploymentVersion}`:"open";g&&a.push(["Deployment",C(d,g)]);let s=h(e.updateUrl,r);s&&a.push([e.operation==="preview"?"Preview":"Update",C("open",s)]),e.failedStep&&a.push(["Failed step",f(e.failedStep,200)]);let c=e.changes?Object.keys(e.changes).slice(0,I):[];e.changes&&a.push(["Changes",f(M(e.changes),500)]);let u=`### ${t} Pulumi ${i} of ${$(e.stack)}: ${o}

${f(e.message,n)}

`;if(u+=`| | |
|---|---|
`+a.map(([l,p])=>`| ${l} | ${p} |`).join(`
`)+`
`,c.length){let l=p=>f(String(e.changes[p]),20);u+=`
| ${c.map(p=>f(p,40)).join(" | ")} |
|${c.map(()=>"---:").join("|")}|
| ${c.map(l).join(" | ")} |
`}return u}function w(e,n,t=e.length){if(!e.length||n<200)return"";let r=e.map(v),o=0;for(let s of r)o=Math.max(o,j.exec(s)?.[1].length??0);let i="`".repeat(Math.min(O,Math.max(3,o+1)));for(let s=0;s<r.length;s++){let c=j.exec(r[s])?.[1];c&&c.length>=i.length&&(r[s]=`\u200B${r[s]}`)}let a=(s,c)=>{let u=Math.max(c,t-s.length);return`
<details><summary>Last ${s.length} log lines</summary>

`+(u>0?`_${u} earlier lines not shown; the full log is in the deployment and the job log._

`:"")+`${i}
${s.join(`
`)}
${i}
</details>
`},g=r,d=a(g,0);if(d.length>n){let s=300+2*i.length,c=p=>p.length>n-s?m(p,Math.max(1,n-s-20)):p,u=s,l=r.length;for(;l>0&&u+c(r[l-1]).length+1<=n;)u+=c(r[--l]).length+1;g=r.slice(l).map(c),d=a(g,r.length-g.length)}return d}var j=/^ {0,3}(`{3,})[ \t]*$/;function v(e){return m(b(String(e)).replace(/[\n\u2028\u2029]/g," "),D)}var C=(e,n)=>`[${e}](${n})`;export{A as a,y as b,N as c,E as d,M as e,k as f,F as g,U as h,P as i,V as j};
