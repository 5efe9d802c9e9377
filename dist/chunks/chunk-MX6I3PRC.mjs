import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
function M(e){for(let r of e?.jobs??[]){let n=r.steps?.find(t=>t.status==="failed");if(n)return n.name}}function d(e){let r=Math.floor(e/3600),n=Math.floor(e%3600/60),t=Math.round(e%60);return[r&&`${r}h`,n&&`${n}m`,(t||!r&&!n)&&`${t}s`].filter(Boolean).join("")}var b={create:"create",update:"update",delete:"delete",replace:"replace","create-replacement":"replace","delete-replaced":"replace","discard-replaced":"replace",same:"same"},g=["same","read","refresh"];function D(e){let n=y(e)?.info.resourceChanges;if(!n)return;let t={create:0,update:0,delete:0,replace:0,same:0};for(let[s,o]of Object.entries(n)){if(typeof o!="number"||o<0)continue;if(s==="create-replacement"||s==="delete-replaced"||s==="discard-replaced"){n.replace===void 0&&(t.replace=Math.max(t.replace,o));continue}let i=b[s]??s;t[i]=(t[i]??0)+o}return t}function O(e){return!!e&&Object.entries(e).some(([r,n])=>!g.includes(r)&&n>0)}function m(e){let r=Object.entries(e).filter(([n,t])=>t>0&&!g.includes(n)).map(([n,t])=>`${t} to ${n}`);return r.length?r.join(", "):"no changes"}function y(e){return[...e].sort((r,n)=>r.version-n.version||r.info.startTime-n.info.startTime).at(-1)}function I(e,r,n){if(!n)return;let t=`/${r.organization}/${r.project}/${r.stack}`,s=e.indexOf(`${t}/`);if(s<0)return;let o=e.slice(0,s)+t;return n.info.kind==="preview"?`${o}/previews/${n.updateID}`:`${o}/updates/${n.version}`}var x=6e4,C=/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g,R=e=>e.replace(C,""),j={succeeded:"\u2705",failed:"\u274C",skipped:"\u23ED\uFE0F"};function _(e,r=x){let n=e.ok?j[e.status]??"\u2705":e.status==="skipped"?"\u23ED\uFE0F":"\u274C",t=[["Stack",`\`${e.stack}\``],["Operation",e.operation],["Status",e.status]];e.durationMs!==void 0&&t.push(["Duration",d(Math.round(e.durationMs/1e3))]),e.deploymentUrl&&t.push(["Deployment",h(e.deploymentVersion!==void 0?`#${e.deploymentVersion}`:"open",e.deploymentUrl)]),e.updateUrl&&t.push([e.operation==="preview"?"Preview":"Update",h("open",e.updateUrl)]),e.failedStep&&t.push(["Failed step",$(e.failedStep)]),e.changes&&t.push(["Changes",m(e.changes)]);let s=`### ${n} Pulumi ${e.operation} of \`${e.stack}\`: ${e.status}

${$(e.message)}

`;if(s+=`| | |
|---|---|
`+t.map(([o,i])=>`| ${o} | ${i} |`).join(`
`)+`
`,e.changes){let o=Object.keys(e.changes);s+=`
| ${o.join(" | ")} |
|${o.map(()=>"---:").join("|")}|
| ${o.map(i=>e.changes[i]).join(" | ")} |
`}return s+k(e.tail,r-s.length,e.totalLines)}function k(e,r,n=e.length){if(!e.length||r<200)return"";let t=e.map(R),s="`".repeat(Math.max(3,U(t)+1)),o=(c,a)=>{let p=Math.max(a,n-c.length);return`
<details><summary>Last ${c.length} log lines</summary>

`+(p>0?`_${p} earlier lines not shown; the full log is in the deployment and the job log._

`:"")+`${s}
${c.join(`
`)}
${s}
</details>
`},i=t,l=o(i,0);if(l.length>r){let c=300+2*s.length,a=f=>f.length>r-c?`${f.slice(0,Math.max(0,r-c-20))}\u2026`:f,p=c,u=t.length;for(;u>0&&p+a(t[u-1]).length+1<=r;)p+=a(t[--u]).length+1;i=t.slice(u).map(a),l=o(i,t.length-i.length)}return l}function U(e){let r=0;for(let n of e)for(let t of n.match(/`+/g)??[])r=Math.max(r,t.length);return r}var h=(e,r)=>`[${e}](${r.replace(/[()\s]/g,n=>n==="("?"%28":n===")"?"%29":encodeURIComponent(n))})`,$=e=>e.replace(/\|/g,"\\|").replace(/\r?\n/g," ");export{M as a,d as b,D as c,O as d,m as e,y as f,I as g,_ as h};
