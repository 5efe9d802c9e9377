import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{i as f}from"./chunk-OAMBUEMD.mjs";var b={create:"create",update:"update",delete:"delete",replace:"replace","create-replacement":"replace","delete-replaced":"replace","discard-replaced":"replace",same:"same"},d=["same","read","refresh"];function M(e){let t=C(e)?.info.resourceChanges;if(!t)return;let n={create:0,update:0,delete:0,replace:0,same:0};for(let[s,o]of Object.entries(t)){if(typeof o!="number"||o<0)continue;if(s==="create-replacement"||s==="delete-replaced"||s==="discard-replaced"){t.replace===void 0&&(n.replace=Math.max(n.replace,o));continue}let i=b[s]??s;n[i]=(n[i]??0)+o}return n}function O(e){return!!e&&Object.entries(e).some(([r,t])=>!d.includes(r)&&t>0)}function m(e){let r=Object.entries(e).filter(([t,n])=>n>0&&!d.includes(t)).map(([t,n])=>`${n} to ${t}`);return r.length?r.join(", "):"no changes"}function C(e){return[...e].sort((r,t)=>r.version-t.version||r.info.startTime-t.info.startTime).at(-1)}function I(e,r,t){if(!t)return;let n=`/${r.organization}/${r.project}/${r.stack}`,s=e.indexOf(`${n}/`);if(s<0)return;let o=e.slice(0,s)+n;return t.info.kind==="preview"?`${o}/previews/${t.updateID}`:`${o}/updates/${t.version}`}var k=6e4,x=/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g,R=e=>e.replace(x,""),y={succeeded:"\u2705",failed:"\u274C",skipped:"\u23ED\uFE0F"};function D(e,r=k){let t=e.ok?y[e.status]??"\u2705":e.status==="skipped"?"\u23ED\uFE0F":"\u274C",n=[["Stack",`\`${e.stack}\``],["Operation",e.operation],["Status",e.status]];e.durationMs!==void 0&&n.push(["Duration",f(Math.round(e.durationMs/1e3))]),e.deploymentUrl&&n.push(["Deployment",h(e.deploymentVersion!==void 0?`#${e.deploymentVersion}`:"open",e.deploymentUrl)]),e.updateUrl&&n.push([e.operation==="preview"?"Preview":"Update",h("open",e.updateUrl)]),e.failedStep&&n.push(["Failed step",$(e.failedStep)]),e.changes&&n.push(["Changes",m(e.changes)]);let s=`### ${t} Pulumi ${e.operation} of \`${e.stack}\`: ${e.status}

${$(e.message)}

`;if(s+=`| | |
|---|---|
`+n.map(([o,i])=>`| ${o} | ${i} |`).join(`
`)+`
`,e.changes){let o=Object.keys(e.changes);s+=`
| ${o.join(" | ")} |
|${o.map(()=>"---:").join("|")}|
| ${o.map(i=>e.changes[i]).join(" | ")} |
`}return s+j(e.tail,r-s.length,e.totalLines)}function j(e,r,t=e.length){if(!e.length||r<200)return"";let n=e.map(R),s="`".repeat(Math.max(3,U(n)+1)),o=(c,a)=>{let l=Math.max(a,t-c.length);return`
<details><summary>Last ${c.length} log lines</summary>

`+(l>0?`_${l} earlier lines not shown; the full log is in the deployment and the job log._

`:"")+`${s}
${c.join(`
`)}
${s}
</details>
`},i=n,u=o(i,0);if(u.length>r){let c=300+2*s.length,a=g=>g.length>r-c?`${g.slice(0,Math.max(0,r-c-20))}\u2026`:g,l=c,p=n.length;for(;p>0&&l+a(n[p-1]).length+1<=r;)l+=a(n[--p]).length+1;i=n.slice(p).map(a),u=o(i,n.length-i.length)}return u}function U(e){let r=0;for(let t of e)for(let n of t.match(/`+/g)??[])r=Math.max(r,n.length);return r}var h=(e,r)=>`[${e}](${r.replace(/[()\s]/g,t=>t==="("?"%28":t===")"?"%29":encodeURIComponent(t))})`,$=e=>e.replace(/\|/g,"\\|").replace(/\r?\n/g," ");export{M as a,O as b,m as c,C as d,I as e,D as f};
