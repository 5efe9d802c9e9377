import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{c as U}from"./chunk-3FQWIROO.mjs";import{d as x,g as $,h as R,i as g,j as P}from"./chunk-W4EABK35.mjs";var v={replace:["+-","to replace","replaced"],delete:["-","to delete","deleted"],create:["+","to create","created"],update:["~","to update","updated"],import:["=","to import","imported"],read:[">","to read","read"],refresh:["~","to refresh (drift)","refreshed (drift)"],discard:["<","to discard","discarded"],"remove-pending-replace":["-","to remove pending replace","removed pending replace"],"create-replacement":["++","to create replacement","created replacement"],"delete-replaced":["--","to delete original","deleted original"]},L=Object.keys(v),I=e=>Object.hasOwn(v,e)?v[e]:void 0,H=new Set(["create-replacement","delete-replaced","discard-replaced","import-replacement","read-replacement"]),K=400,j=10,B=50,b=25,G=300,k=e=>{let n=L.indexOf(e);return n<0?L.length:n};function C(e,n){let s=Object.entries(e).filter(([l,t])=>t>0&&l!=="same"&&!(H.has(l)&&(e.replace??0)>0));s.sort(([l],[t])=>k(l)-k(t));let o=s.map(([l,t])=>{let r=I(l);return r?`${r[0]}${t} ${n?r[1]:r[2]}`:`${t} ${n?"to ":""}${$(x(l),40)}`});return o.length?(e.same&&o.push(`${e.same} unchanged`),o.join(", ")):e.same?`no changes, ${e.same} unchanged`:"no changes"}function y(e,n){return $(x(String(e??"")).replace(/[\r\n\u2028\u2029]/g," "),n)}function Y(e){let n=/^([^:]+):([^:/]+)\/([^:/]+):([^:]+)$/.exec(e);return n&&n[3]===n[4].charAt(0).toLowerCase()+n[4].slice(1)?`${n[1]}:${n[2]}:${n[4]}`:e}var A={create:"creating",update:"updating",delete:"deleting",replace:"replacing",import:"importing",read:"reading",refresh:"refreshing"};function T(e){let n=y(e.key,120),s=e.replace?" (forces replacement)":"",o=r=>r===void 0?"":y(r,100),l=e.kind==="add"?"+":e.kind==="delete"?"-":"~",t=e.kind==="add"?o(e.new):e.kind==="delete"?o(e.old):e.old===void 0&&e.new===void 0?"":`${o(e.old)||"?"} => ${o(e.new)||"?"}`;return`    ${l} ${n}${t?`: ${t}`:""}${s}`}function M(e,n){let s=I(e.op),o=(s?.[0]??"*").padEnd(2),l=y(e.failed||e.interrupted?Object.hasOwn(A,e.op)?A[e.op]:e.op:n||!s?e.op:s[2],40),t=new Set(e.replaceKeys),r=e.props.length>0,p=!r&&e.keys.length&&e.op!=="create"&&e.op!=="delete"?` [diff: ${e.keys.map(a=>`~${y(a,100)}`).join(", ")}${e.more?`, ${e.more} more`:""}]`:"",m=e.failed?" failed":e.interrupted?" (interrupted)":"",i=[`${o} ${y(Y(e.type),150)} ${y(e.name,150)} ${l}${m}${p}`];if(e.failed&&e.error&&i.push(`    error: ${y(e.error,G)}`),r){for(let c of e.props.slice(0,j))i.push(T({...c,replace:c.replace||t.has(c.key)}));let a=e.props.length-j+e.more+Math.max(0,e.keys.length-e.props.length);a>0&&i.push(`    ... ${a} more`)}return i}var _=class{constructor(n){this.limit=n}limit;text="";add(n){return this.text.length+n.length+1>this.limit?!1:(this.text+=`${n}
`,!0)}fits(n){return this.text.length+n<=this.limit}},E=(e,n)=>n>b?`<details><summary>${e}</summary>
`:`**${e}**
`,D=e=>e>b?`</details>
`:"",N=e=>`${e.severity==="error"?"\u274C":"\u26A0\uFE0F"} ${g(e.message,500).trim()}`;function z(e){let n=new Map;for(let o of e){let l=o.resource??"",t=n.get(l);t?t.push(o):n.set(l,[o])}let s=[];for(let[o,l]of[...n].sort(([t],[r])=>(t?1:0)-(r?1:0)))if(o){s.push(`- ${g(o,300).trim()}`);for(let t of l)s.push(`  - ${N(t)}`)}else for(let t of l)s.push(`- ${N(t)}`);return s}var q=e=>`| ${e.severity==="error"?"\u274C":"\u26A0\uFE0F"} ${g(e.level,40)} | ${g(e.pack,100)} | ${g(e.policy,100)} | ${e.resource?g(e.resource,200):"stack"} | ${g(e.message,300)} |`;function J(e,n,s,o="https://app.pulumi.com",l=!1){let t=new _(Math.max(0,n-K)),r=e.omittedResources,p=e.preview?"Preview":`${e.kind[0].toUpperCase()}${e.kind.slice(1)}`,m=e.changes?C(e.changes,e.preview):"Pulumi sent no summary; the list is from the resource events";if(!l&&!t.add(`#### ${g(p)}: ${g(m,2e3)}
`))return"";let i=[...e.resources].sort((c,u)=>k(c.op)-k(u.op));if(i.length){let u=i.flatMap(d=>M(d,e.preview)).length>b?`<details><summary>Plan: ${i.length} changed resources</summary>

`:"";if(t.fits(u.length+40+M(i[0],e.preview).join(`
`).length)){t.text+=`${u}\`\`\`diff
`;let d=0;for(let f of i){let h=M(f,e.preview);if(!t.fits(h.join(`
`).length+1+5+(u?11:0)))break;for(let w of h)t.add(w);d++}r+=i.length-d,t.text+=`\`\`\`
${u?`</details>
`:""}
`}else r+=i.length}if(e.outputChanges.length){let c=e.outputChanges.map(T).map(d=>d.slice(2));e.omittedOutputChanges&&c.push(`  ... ${e.omittedOutputChanges} more`);let u=`${E(`Stack outputs (${e.outputChanges.length+e.omittedOutputChanges} changed)`,c.length)}
\`\`\`diff
${c.join(`
`)}
\`\`\`
${D(c.length)}`;t.fits(u.length+1)&&(t.text+=`${u}
`)}if(e.policies.length){let c=e.policies.length+e.omittedPolicies,u=e.policies.filter(h=>h.severity==="error").length,d=[...e.policies].sort((h,w)=>h.severity===w.severity?0:h.severity==="error"?-1:1).slice(0,B);t.add(E(`Policy violations (${c}${u?`, ${u} mandatory`:""})`,d.length)),t.add("| Level | Pack | Policy | Resource | Message |"),t.add("|---|---|---|---|---|");let f=0;for(let h of d){if(!t.add(q(h)))break;f++}t.add(c-f>0?`
_${c-f} more policy violations not shown._
`:""),t.text+=`${D(d.length)}
`}if(e.diagnostics.length){let c=z(e.diagnostics),u=e.diagnostics.filter(O=>O.severity==="error").length,d=e.diagnostics.length-u,f=`Diagnostics (${[u&&`${u} error${u===1?"":"s"}`,d&&`${d} warning${d===1?"":"s"}`].filter(Boolean).join(", ")})`,h=c.length>b||u===0;t.add(h?`<details><summary>${f}</summary>
`:`**${f}**
`);let w=0;for(let O of c){if(!t.add(O))break;w++}let S=c.length-w+e.omittedDiagnostics;t.add(S>0?`
_${S} more diagnostic lines not shown._
`:""),t.text+=h?`
</details>
`:`
`}let a=t.text;if(r>0){let c=R(s,o),u=c?`[the full plan in the Pulumi console](${c})`:"the full plan in the Pulumi console";a+=`
_${r} more changed resource${r===1?"":"s"} not shown here; see ${u}._
`}return a=a.replace(/:(?=:)/g,":\u200B").replace(/#\[/g,"#\u200B["),a.length<=n?a:a.slice(0,Math.max(0,a.lastIndexOf(`
`,n-1)+1))}function X(e,n){if(!e.length||n.budget<=0)return"";let s=Math.floor(n.budget/e.length);return e.map(o=>J(o,s,n.consoleUrl?.(o),n.consoleOrigin,n.countsShown===!0&&e.length===1)).filter(Boolean).join(`
`)}var Q=6e4,de=3e5,Z=10,ee=2e3,ge=x;function pe(e){try{let n=new URL(e);return n.hostname.startsWith("api.")&&(n.hostname=`app.${n.hostname.slice(4)}`),n.origin}catch{return}}function ne(e){if(e.status==="skipped")return"\u23ED\uFE0F";let n=(e.plans??[]).some(({plan:s})=>s.policies.some(o=>o.severity==="error"));return e.status==="succeeded"&&(n||(e.contradictions?.length??0)>0)?"\u26A0\uFE0F":e.ok?"\u2705":"\u274C"}function he(e,n=Q){let s=F(e,2e3);if(s.length>n-200&&(s=F(e,200)),s.length>n)return $(s,n);let o=e.plans??[],l=new Map(o.map(({plan:r,url:p})=>[r,p?R(p,e.consoleOrigin??"https://app.pulumi.com"):void 0])),t=o.length?`
${X(o.map(r=>r.plan),{budget:Math.floor((n-s.length)*.8),consoleUrl:r=>l.get(r),consoleOrigin:e.consoleOrigin,countsShown:!0})}`:"";return s+t+se(e.tail,n-s.length-t.length,e.totalLines)}function te(e){let n=e.engineChanges??e.changes;return n?C(n,e.plans?.at(-1)?.plan.preview??e.operation==="preview"):void 0}function F(e,n){let s=e.consoleOrigin??"https://app.pulumi.com",o=te(e),l=e.status==="succeeded"&&!e.ok?"succeeded, but the step failed":e.status,t=`### ${ne(e)} Pulumi ${g(e.operation,50)} of ${P(e.stack)} ${g(l,100)}`;t+=o?`${g(`: ${o}`,1e3)}

`:`

`;let r=[];e.commit&&/^[0-9a-f]{7,64}$/i.test(e.commit)&&r.push(`commit ${P(e.commit.slice(0,7))}`),e.durationMs!==void 0&&Number.isFinite(e.durationMs)&&r.push(U(Math.round(e.durationMs/1e3)));let p=R(e.updateUrl,s);p&&r.push(V(e.operation==="preview"?"preview in Pulumi Cloud":"update in Pulumi Cloud",p));let m=R(e.deploymentUrl,s),i=Number.isSafeInteger(e.deploymentVersion)?` #${e.deploymentVersion}`:"";m&&r.push(V(`deployment${i}`,m)),e.failedStep&&r.push(`failed step: ${g(e.failedStep,200)}`),r.length&&(t+=`${r.join(" \xB7 ")}

`),(!e.ok||e.status!=="succeeded")&&(t+=`${g(oe(e),n).trim()}

`);for(let a of e.contradictions??[])t+=`> [!WARNING]
> ${g(a,500).trim()}

`;return t}function oe(e){let n=e.message;for(let s of[e.deploymentUrl,e.updateUrl])s&&n.endsWith(`: ${s}`)&&(n=n.slice(0,-s.length-2));return n}function se(e,n,s=e.length){if(!e.length||n<200)return"";let o=e.map(re),l=0;for(let i of o)l=Math.max(l,W.exec(i)?.[1].length??0);let t="`".repeat(Math.min(Z,Math.max(3,l+1)));for(let i=0;i<o.length;i++){let a=W.exec(o[i])?.[1];a&&a.length>=t.length&&(o[i]=`\u200B${o[i]}`)}let r=(i,a)=>{let c=Math.max(a,s-i.length);return`
<details><summary>Last ${i.length} log lines</summary>

`+(c>0?`_${c} earlier lines not shown; the full log is in the deployment and the job log._

`:"")+`${t}
${i.join(`
`)}
${t}
</details>
`},p=o,m=r(p,0);if(m.length>n){let i=300+2*t.length,a=d=>d.length>n-i?$(d,Math.max(1,n-i-20)):d,c=i,u=o.length;for(;u>0&&c+a(o[u-1]).length+1<=n;)c+=a(o[--u]).length+1;p=o.slice(u).map(a),m=r(p,o.length-p.length)}return m}var W=/^ {0,3}(`{3,})[ \t]*$/;function re(e){return $(x(String(e)).replace(/[\n\u2028\u2029]/g," "),ee)}var V=(e,n)=>`[${e}](${n})`;export{Q as a,de as b,Z as c,ge as d,pe as e,ne as f,he as g,se as h};
