import{d as R,e as y,f as U}from"./chunk-L7DVMRTI.mjs";import{d as $,g as f,h as a,i as p,j as M}from"./chunk-W4EABK35.mjs";var w=6e4,j=3e5,A=10,b=2e3,I=$;function E(n){try{let e=new URL(n);return e.hostname.startsWith("api.")&&(e.hostname=`app.${e.hostname.slice(4)}`),e.origin}catch{return}}function C(n){if(n.status==="skipped")return"\u23ED\uFE0F";let e=(n.plans??[]).some(({plan:o})=>o.policies.some(t=>t.severity==="error"));return n.status==="succeeded"&&(e||(n.contradictions?.length??0)>0)?"\u26A0\uFE0F":n.ok?"\u2705":"\u274C"}function W(n,e=w){let o=_(n,2e3);if(o.length>e-200&&(o=_(n,200)),o.length>e)return f(o,e);let t=n.plans??[],u=new Map(t.map(({plan:s,url:l})=>[s,l?a(l,n.consoleOrigin??"https://app.pulumi.com"):void 0])),i=t.length?`
${U(t.map(s=>s.plan),{budget:Math.floor((e-o.length)*.8),consoleUrl:s=>u.get(s),consoleOrigin:n.consoleOrigin,countsShown:!0})}`:"";return o+i+L(n.tail,e-o.length-i.length,n.totalLines)}function k(n){let e=n.engineChanges??n.changes;return e?y(e,n.plans?.at(-1)?.plan.preview??n.operation==="preview"):void 0}function _(n,e){let o=n.consoleOrigin??"https://app.pulumi.com",t=k(n),u=n.status==="succeeded"&&!n.ok?"succeeded, but the step failed":n.status,i=`### ${C(n)} Pulumi ${p(n.operation,50)} of ${M(n.stack)} ${p(u,100)}`;i+=t?`${p(`: ${t}`,1e3)}

`:`

`;let s=[];n.commit&&/^[0-9a-f]{7,64}$/i.test(n.commit)&&s.push(`commit ${M(n.commit.slice(0,7))}`),n.durationMs!==void 0&&Number.isFinite(n.durationMs)&&s.push(R(Math.round(n.durationMs/1e3)));let l=a(n.updateUrl,o);l&&s.push(S(n.operation==="preview"?"preview in Pulumi Cloud":"update in Pulumi Cloud",l));let g=a(n.deploymentUrl,o),r=Number.isSafeInteger(n.deploymentVersion)?` #${n.deploymentVersion}`:"";g&&s.push(S(`deployment${r}`,g)),n.failedStep&&s.push(`failed step: ${p(n.failedStep,200)}`),s.length&&(i+=`${s.join(" \xB7 ")}

`),(!n.ok||n.status!=="succeeded")&&(i+=`${p(v(n),e).trim()}

`);for(let c of n.contradictions??[])i+=`> [!WARNING]
> ${p(c,500).trim()}

`;return i}function v(n){let e=n.message;for(let o of[n.deploymentUrl,n.updateUrl])o&&e.endsWith(`: ${o}`)&&(e=e.slice(0,-o.length-2));return e}function L(n,e,o=n.length){if(!n.length||e<200)return"";let t=n.map(O),u=0;for(let r of t)u=Math.max(u,x.exec(r)?.[1].length??0);let i="`".repeat(Math.min(A,Math.max(3,u+1)));for(let r=0;r<t.length;r++){let c=x.exec(t[r])?.[1];c&&c.length>=i.length&&(t[r]=`\u200B${t[r]}`)}let s=(r,c)=>{let m=Math.max(c,o-r.length);return`
<details><summary>Last ${r.length} log lines</summary>

`+(m>0?`_${m} earlier lines not shown; the full log is in the deployment and the job log._

`:"")+`${i}
${r.join(`
`)}
${i}
</details>
`},l=t,g=s(l,0);if(g.length>e){let r=300+2*i.length,c=d=>d.length>e-r?f(d,Math.max(1,e-r-20)):d,m=r,h=t.length;for(;h>0&&m+c(t[h-1]).length+1<=e;)m+=c(t[--h]).length+1;l=t.slice(h).map(c),g=s(l,t.length-l.length)}return g}var x=/^ {0,3}(`{3,})[ \t]*$/;function O(n){return f($(String(n)).replace(/[\n\u2028\u2029]/g," "),b)}var S=(n,e)=>`[${n}](${e})`;export{w as a,j as b,A as c,I as d,E as e,C as f,W as g,L as h};
