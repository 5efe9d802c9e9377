import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{c as k,g as w}from"./chunk-3SV5EDKC.mjs";import{d as b,g as R,h as f,i as o,j as O}from"./chunk-E57UK7MP.mjs";var P={replace:["+-","to replace","replaced"],delete:["-","to delete","deleted"],create:["+","to create","created"],update:["~","to update","updated"],import:["=","to import","imported"],read:[">","to read","read"],refresh:["~","to refresh (drift)","refreshed (drift)"],discard:["<","to discard","discarded"],"remove-pending-replace":["-","to remove pending replace","removed pending replace"],"create-replacement":["++","to create replacement","created replacement"],"delete-replaced":["--","to delete original","deleted original"]},S=Object.keys(P),y=e=>Object.hasOwn(P,e)?P[e]:void 0,L=new Set(["create-replacement","delete-replaced","discard-replaced","import-replacement","read-replacement"]),D=400,N=50,I=10,U=(e,n)=>{let i=y(e);return i?n?i[1]:i[2]:`${n?"to ":""}${e}`};function X(e,n){let i=Object.entries(e).filter(([t,l])=>l>0&&t!=="same"&&!(L.has(t)&&(e.replace??0)>0));i.sort(([t],[l])=>M(t)-M(l));let r=i.map(([t,l])=>`${y(t)?.[0]??""} ${l} ${U(t,n)}`.trim());return e.same&&r.push(`${e.same} unchanged`),r.length?o(r.join(", "),2e3):"no changes"}var M=e=>{let n=S.indexOf(e);return n<0?S.length:n},x=class{constructor(n){this.limit=n}limit;text="";left=0;add(n){return this.text.length+n.length+1>this.limit?!1:(this.text+=`${n}
`,!0)}};function F(e){let n=new Set(e.replaceKeys),i=e.keys.map(t=>n.has(t)?`${o(t,100)} (forces replacement)`:o(t,100));e.more&&i.push(`${e.more} more`);let r=e.steps.length?`; steps: ${e.steps.map(t=>o(t,100)).join(", ")}`:"";return`- **${o(e.type,150)}** ${o(e.name,150)}${i.length?`: ${i.join(", ")}`:""}${r}`}var W=e=>`- ${e.resource?`**${o(e.resource,200)}**: `:""}${o(e.message,500)}`;function T(e,n,i,r="https://app.pulumi.com"){let t=new x(Math.max(0,n-D)),l=e.omittedResources,g=e.preview?"Preview":e.kind==="update"?"Update":`${e.kind[0].toUpperCase()}${e.kind.slice(1)}`;if(!t.add(`#### ${o(g)}: resource plan
`))return"";t.add(`**${e.changes?X(e.changes,e.preview):"Pulumi sent no summary; the list below is from the resource events"}**
`);let d=e.diagnostics.filter(s=>s.severity==="error");if(d.length){t.add(`**Errors** (${d.length})
`);for(let s of d.slice(0,I))t.add(W(s));t.add("")}if(e.policies.length){t.add(`**Policy findings** (${e.policies.length+e.omittedPolicies})
`),t.add("| Pack | Policy | Level | Resource | Message |"),t.add("|---|---|---|---|---|");let s=0;for(let h of e.policies.slice(0,N)){let _=h.severity==="error"?`\u274C ${o(h.level)}`:`\u26A0\uFE0F ${o(h.level)}`;if(!t.add(`| ${o(h.pack,100)} | ${o(h.policy,100)} | ${_} | ${h.resource?o(h.resource,200):"stack"} | ${o(h.message,300)} |`))break;s++}let c=e.policies.length+e.omittedPolicies-s;t.add(c>0?`
_${c} more policy findings not shown._
`:"")}let m=new Map;for(let s of e.resources){let c=m.get(s.op);c?c.push(s):m.set(s.op,[s])}let a=!0;for(let s of[...m.keys()].sort((c,h)=>M(c)-M(h))){let c=m.get(s),h=U(s,e.preview),_=`**${o(`${y(s)?`${y(s)[0]} `:""}${h[0].toUpperCase()}${h.slice(1)}`)}** (${c.length})
`;if(!a||!t.add(_)){a=!1,l+=c.length;continue}let $=0;for(;$<c.length&&t.add(F(c[$]));$++);l+=c.length-$,$<c.length&&(a=!1),t.add("")}let u=e.changes?.same,p=t.text;if(u&&(p+=`_${u} unchanged resources are not listed._
`),l>0){let s=f(i,r),c=s?`[the full plan in the Pulumi console](${s})`:"the full plan in the Pulumi console";p+=`
_${l} more changed resource${l===1?"":"s"} not shown here; see ${c}._
`}return p=p.replace(/:(?=:)/g,":\u200B").replace(/#\[/g,"#\u200B["),p.length<=n?p:p.slice(0,Math.max(0,p.lastIndexOf(`
`,n-1)+1))}function v(e,n){if(!e.length||n.budget<=0)return"";let i=Math.floor(n.budget/e.length);return e.map(r=>T(r,i,n.consoleUrl?.(r),n.consoleOrigin)).filter(Boolean).join(`
`)}var V=6e4,ne=3e5,H=10,K=2e3,Y=12,te=b;function se(e){try{let n=new URL(e);return n.hostname.startsWith("api.")&&(n.hostname=`app.${n.hostname.slice(4)}`),n.origin}catch{return}}var C={succeeded:"\u2705",failed:"\u274C",skipped:"\u23ED\uFE0F"};function re(e,n=V){let i=j(e,2e3);if(i.length>n-200&&(i=j(e,200)),i.length>n)return R(i,n);let r=e.plans??[],t=new Map(r.map(({plan:g,url:d})=>[g,d?f(d,e.consoleOrigin??"https://app.pulumi.com"):void 0])),l=r.length?`
${v(r.map(g=>g.plan),{budget:Math.floor((n-i.length)*.8),consoleUrl:g=>t.get(g),consoleOrigin:e.consoleOrigin})}`:"";return i+l+z(e.tail,n-i.length-l.length,e.totalLines)}function j(e,n){let i=e.ok?Object.hasOwn(C,e.status)&&C[e.status]||"\u2705":e.status==="skipped"?"\u23ED\uFE0F":"\u274C",r=e.consoleOrigin??"https://app.pulumi.com",t=o(e.status,100),l=o(e.operation,50),g=[["Stack",O(e.stack)],["Operation",l],["Status",t]];e.durationMs!==void 0&&Number.isFinite(e.durationMs)&&g.push(["Duration",k(Math.round(e.durationMs/1e3))]);let d=f(e.deploymentUrl,r),m=Number.isSafeInteger(e.deploymentVersion)?`#${e.deploymentVersion}`:"open";d&&g.push(["Deployment",A(m,d)]);let a=f(e.updateUrl,r);a&&g.push([e.operation==="preview"?"Preview":"Update",A("open",a)]),e.failedStep&&g.push(["Failed step",o(e.failedStep,200)]);let u=e.changes?Object.keys(e.changes).slice(0,Y):[];e.changes&&g.push(["Changes",o(w(e.changes),500)]),e.engineChanges&&e.contradictions?.length&&g.push(["Engine events",o(w(e.engineChanges),500)]),e.commit&&/^[0-9a-f]{7,64}$/i.test(e.commit)&&g.push(["Commit",O(e.commit)]);let p=`### ${i} Pulumi ${l} of ${O(e.stack)}: ${t}

${o(e.message,n)}

`;p+=`| | |
|---|---|
`+g.map(([s,c])=>`| ${s} | ${c} |`).join(`
`)+`
`;for(let s of e.contradictions??[])p+=`
> [!WARNING]
> ${o(s,500)}
`;if(u.length){let s=c=>o(String(e.changes[c]),20);p+=`
| ${u.map(c=>o(c,40)).join(" | ")} |
|${u.map(()=>"---:").join("|")}|
| ${u.map(s).join(" | ")} |
`}return p}function z(e,n,i=e.length){if(!e.length||n<200)return"";let r=e.map(B),t=0;for(let a of r)t=Math.max(t,E.exec(a)?.[1].length??0);let l="`".repeat(Math.min(H,Math.max(3,t+1)));for(let a=0;a<r.length;a++){let u=E.exec(r[a])?.[1];u&&u.length>=l.length&&(r[a]=`\u200B${r[a]}`)}let g=(a,u)=>{let p=Math.max(u,i-a.length);return`
<details><summary>Last ${a.length} log lines</summary>

`+(p>0?`_${p} earlier lines not shown; the full log is in the deployment and the job log._

`:"")+`${l}
${a.join(`
`)}
${l}
</details>
`},d=r,m=g(d,0);if(m.length>n){let a=300+2*l.length,u=c=>c.length>n-a?R(c,Math.max(1,n-a-20)):c,p=a,s=r.length;for(;s>0&&p+u(r[s-1]).length+1<=n;)p+=u(r[--s]).length+1;d=r.slice(s).map(u),m=g(d,r.length-d.length)}return m}var E=/^ {0,3}(`{3,})[ \t]*$/;function B(e){return R(b(String(e)).replace(/[\n\u2028\u2029]/g," "),K)}var A=(e,n)=>`[${e}](${n})`;export{V as a,ne as b,H as c,te as d,se as e,re as f,z as g};
