import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{o as l}from"./chunk-3U3SJMUP.mjs";var d={create:"create",update:"update",delete:"delete",replace:"replace","create-replacement":"replace","delete-replaced":"replace","discard-replaced":"replace",same:"same"},m=["same","read","refresh"];function y(e){let n=h(e)?.info.resourceChanges;if(!n)return;let r={create:0,update:0,delete:0,replace:0,same:0};for(let[o,s]of Object.entries(n)){if(typeof s!="number"||s<0)continue;if(o==="create-replacement"||o==="delete-replaced"||o==="discard-replaced"){n.replace===void 0&&(r.replace=Math.max(r.replace,s));continue}let i=d[o]??o;r[i]=(r[i]??0)+s}return r}function j(e){return!!e&&Object.entries(e).some(([t,n])=>!m.includes(t)&&n>0)}function u(e){let t=Object.entries(e).filter(([n,r])=>r>0&&n!=="same").map(([n,r])=>`${r} to ${n}`);return t.length?t.join(", "):"no changes"}function h(e){return[...e].sort((t,n)=>t.version-n.version||t.info.startTime-n.info.startTime).at(-1)}function U(e,t,n){if(!n)return;let r=`/${t.organization}/${t.project}/${t.stack}`,o=e.indexOf(`${r}/`);if(o<0)return;let s=e.slice(0,o)+r;return n.info.kind==="preview"?`${s}/previews/${n.updateID}`:`${s}/updates/${n.version}`}var $=6e4,b=/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g,k=e=>e.replace(b,""),C={succeeded:"\u2705",failed:"\u274C",skipped:"\u23ED\uFE0F"};function w(e,t=$){let n=e.ok?C[e.status]??"\u2705":e.status==="skipped"?"\u23ED\uFE0F":"\u274C",r=[["Stack",`\`${e.stack}\``],["Operation",e.operation],["Status",e.status]];e.durationMs!==void 0&&r.push(["Duration",l(Math.round(e.durationMs/1e3))]),e.deploymentUrl&&r.push(["Deployment",g(e.deploymentVersion!==void 0?`#${e.deploymentVersion}`:"open",e.deploymentUrl)]),e.updateUrl&&r.push([e.operation==="preview"?"Preview":"Update",g("open",e.updateUrl)]),e.failedStep&&r.push(["Failed step",f(e.failedStep)]),e.changes&&r.push(["Changes",u(e.changes)]);let o=`### ${n} Pulumi ${e.operation} of \`${e.stack}\`: ${e.status}

${f(e.message)}

`;if(o+=`| | |
|---|---|
`+r.map(([s,i])=>`| ${s} | ${i} |`).join(`
`)+`
`,e.changes){let s=Object.keys(e.changes);o+=`
| ${s.join(" | ")} |
|${s.map(()=>"---:").join("|")}|
| ${s.map(i=>e.changes[i]).join(" | ")} |
`}return o+R(e.tail,t-o.length)}function R(e,t){if(!e.length||t<200)return"";let n=e.map(k),r="`".repeat(Math.max(3,x(n)+1)),o=(p,c)=>`
<details><summary>Last ${p.length} log lines</summary>

`+(c?`_${c} earlier lines not shown; the full log is in the deployment and the job log._

`:"")+`${r}
${p.join(`
`)}
${r}
</details>
`,s=n,i=o(s,0);if(i.length>t){let p=300,c=n.length;for(;c>0&&p+n[c-1].length+1<=t;)p+=n[--c].length+1;s=n.slice(c).map(a=>a.length>t-300?`${a.slice(0,t-320)}\u2026`:a),i=o(s,n.length-s.length)}return i}function x(e){let t=0;for(let n of e)for(let r of n.match(/`+/g)??[])t=Math.max(t,r.length);return t}var g=(e,t)=>`[${e}](${t.replace(/[()\s]/g,encodeURIComponent)})`,f=e=>e.replace(/\|/g,"\\|").replace(/\r?\n/g," ");export{y as a,j as b,u as c,h as d,U as e,w as f};
