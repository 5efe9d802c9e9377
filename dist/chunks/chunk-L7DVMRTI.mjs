import{i as U}from"./chunk-AAAE4L5L.mjs";import{d as R,f as x,g as P,h as D,i as p}from"./chunk-W4EABK35.mjs";var W=e=>({...e,resources:[],omittedResources:0,diagnostics:[],omittedDiagnostics:0,policies:[],omittedPolicies:0,outputChanges:[],omittedOutputChanges:0,events:0,requests:0});function Y(e){for(let t of e?.jobs??[]){let o=t.steps?.find(r=>r.status==="failed");if(o)return x(o.name,200)}}function H(e,t=400){let o=[...e].reverse().find(r=>r.failure)?.failure;if(o)return x(`${o.resource?`${o.resource}: `:""}${o.message}`,t)}function J(e){let t=Math.floor(e/3600),o=Math.floor(e%3600/60),r=Math.round(e%60);return[t&&`${t}h`,o&&`${o}m`,(r||!t&&!o)&&`${r}s`].filter(Boolean).join("")}var C={replace:["+-","to replace","replaced"],delete:["-","to delete","deleted"],create:["+","to create","created"],update:["~","to update","updated"],import:["=","to import","imported"],read:[">","to read","read"],refresh:["~","to refresh (drift)","refreshed (drift)"],discard:["<","to discard","discarded"],"remove-pending-replace":["-","to remove pending replace","removed pending replace"],"create-replacement":["++","to create replacement","created replacement"],"delete-replaced":["--","to delete original","deleted original"]},j=Object.keys(C),F=e=>Object.hasOwn(C,e)?C[e]:void 0,T=400,M=10,q=50,$=25,N=300,y=e=>{let t=j.indexOf(e);return t<0?j.length:t};function B(e,t){let o=Object.entries(e).filter(([a,n])=>n>0&&a!=="same"&&!(U.has(a)&&(e.replace??0)>0));o.sort(([a],[n])=>y(a)-y(n));let r=o.map(([a,n])=>{let c=F(a);return c?`${c[0]}${n} ${t?c[1]:c[2]}`:`${n} ${t?"to ":""}${P(R(a),40)}`});return r.length?(e.same&&r.push(`${e.same} unchanged`),r.join(", ")):e.same?`no changes, ${e.same} unchanged`:"no changes"}function m(e,t){return P(R(String(e??"")).replace(/[\r\n\u2028\u2029]/g," "),t)}function K(e){let t=/^([^:]+):([^:/]+)\/([^:/]+):([^:]+)$/.exec(e);return t&&t[3]===t[4].charAt(0).toLowerCase()+t[4].slice(1)?`${t[1]}:${t[2]}:${t[4]}`:e}var E={create:"creating",update:"updating",delete:"deleting",replace:"replacing",import:"importing",read:"reading",refresh:"refreshing"};function A(e){let t=m(e.key,120),o=e.replace?" (forces replacement)":"",r=c=>c===void 0?"":m(c,100),a=e.kind==="add"?"+":e.kind==="delete"?"-":"~",n=e.kind==="add"?r(e.new):e.kind==="delete"?r(e.old):e.old===void 0&&e.new===void 0?"":`${r(e.old)||"?"} => ${r(e.new)||"?"}`;return`    ${a} ${t}${n?`: ${n}`:""}${o}`}function v(e,t){let o=F(e.op),r=(o?.[0]??"*").padEnd(2),a=m(e.failed||e.interrupted?Object.hasOwn(E,e.op)?E[e.op]:e.op:t||!o?e.op:o[2],40),n=new Set(e.replaceKeys),c=e.props.length>0,b=!c&&e.keys.length&&e.op!=="create"&&e.op!=="delete"?` [diff: ${e.keys.map(u=>`~${m(u,100)}`).join(", ")}${e.more?`, ${e.more} more`:""}]`:"",w=e.failed?" failed":e.interrupted?" (interrupted)":"",l=[`${r} ${m(K(e.type),150)} ${m(e.name,150)} ${a}${w}${b}`];if(e.failed&&e.error&&l.push(`    error: ${m(e.error,N)}`),c){for(let s of e.props.slice(0,M))l.push(A({...s,replace:s.replace||n.has(s.key)}));let u=e.props.length-M+e.more+Math.max(0,e.keys.length-e.props.length);u>0&&l.push(`    ... ${u} more`)}return l}var S=class{constructor(t){this.limit=t}limit;text="";add(t){return this.text.length+t.length+1>this.limit?!1:(this.text+=`${t}
`,!0)}fits(t){return this.text.length+t<=this.limit}},_=(e,t)=>t>$?`<details><summary>${e}</summary>
`:`**${e}**
`,L=e=>e>$?`</details>
`:"",I=e=>`${e.severity==="error"?"\u274C":"\u26A0\uFE0F"} ${p(e.message,500).trim()}`;function X(e){let t=new Map;for(let r of e){let a=r.resource??"",n=t.get(a);n?n.push(r):t.set(a,[r])}let o=[];for(let[r,a]of[...t].sort(([n],[c])=>(n?1:0)-(c?1:0)))if(r){o.push(`- ${p(r,300).trim()}`);for(let n of a)o.push(`  - ${I(n)}`)}else for(let n of a)o.push(`- ${I(n)}`);return o}var G=e=>`| ${e.severity==="error"?"\u274C":"\u26A0\uFE0F"} ${p(e.level,40)} | ${p(e.pack,100)} | ${p(e.policy,100)} | ${e.resource?p(e.resource,200):"stack"} | ${p(e.message,300)} |`;function z(e,t,o,r="https://app.pulumi.com",a=!1){let n=new S(Math.max(0,t-T)),c=e.omittedResources,b=e.preview?"Preview":`${e.kind[0].toUpperCase()}${e.kind.slice(1)}`,w=e.changes?B(e.changes,e.preview):"Pulumi sent no summary; the list is from the resource events";if(!a&&!n.add(`#### ${p(b)}: ${p(w,2e3)}
`))return"";let l=[...e.resources].sort((s,i)=>y(s.op)-y(i.op));if(l.length){let i=l.flatMap(d=>v(d,e.preview)).length>$?`<details><summary>Plan: ${l.length} changed resources</summary>

`:"";if(n.fits(i.length+40+v(l[0],e.preview).join(`
`).length)){n.text+=`${i}\`\`\`diff
`;let d=0;for(let f of l){let g=v(f,e.preview);if(!n.fits(g.join(`
`).length+1+5+(i?11:0)))break;for(let h of g)n.add(h);d++}c+=l.length-d,n.text+=`\`\`\`
${i?`</details>
`:""}
`}else c+=l.length}if(e.outputChanges.length){let s=e.outputChanges.map(A).map(d=>d.slice(2));e.omittedOutputChanges&&s.push(`  ... ${e.omittedOutputChanges} more`);let i=`${_(`Stack outputs (${e.outputChanges.length+e.omittedOutputChanges} changed)`,s.length)}
\`\`\`diff
${s.join(`
`)}
\`\`\`
${L(s.length)}`;n.fits(i.length+1)&&(n.text+=`${i}
`)}if(e.policies.length){let s=e.policies.length+e.omittedPolicies,i=e.policies.filter(g=>g.severity==="error").length,d=[...e.policies].sort((g,h)=>g.severity===h.severity?0:g.severity==="error"?-1:1).slice(0,q);n.add(_(`Policy violations (${s}${i?`, ${i} mandatory`:""})`,d.length)),n.add("| Level | Pack | Policy | Resource | Message |"),n.add("|---|---|---|---|---|");let f=0;for(let g of d){if(!n.add(G(g)))break;f++}n.add(s-f>0?`
_${s-f} more policy violations not shown._
`:""),n.text+=`${L(d.length)}
`}if(e.diagnostics.length){let s=X(e.diagnostics),i=e.diagnostics.filter(k=>k.severity==="error").length,d=e.diagnostics.length-i,f=`Diagnostics (${[i&&`${i} error${i===1?"":"s"}`,d&&`${d} warning${d===1?"":"s"}`].filter(Boolean).join(", ")})`,g=s.length>$||i===0;n.add(g?`<details><summary>${f}</summary>
`:`**${f}**
`);let h=0;for(let k of s){if(!n.add(k))break;h++}let O=s.length-h+e.omittedDiagnostics;n.add(O>0?`
_${O} more diagnostic lines not shown._
`:""),n.text+=g?`
</details>
`:`
`}let u=n.text;if(c>0){let s=D(o,r),i=s?`[the full plan in the Pulumi console](${s})`:"the full plan in the Pulumi console";u+=`
_${c} more changed resource${c===1?"":"s"} not shown here; see ${i}._
`}return u=u.replace(/:(?=:)/g,":\u200B").replace(/#\[/g,"#\u200B["),u.length<=t?u:u.slice(0,Math.max(0,u.lastIndexOf(`
`,t-1)+1))}function te(e,t){if(!e.length||t.budget<=0)return"";let o=Math.floor(t.budget/e.length);return e.map(r=>z(r,o,t.consoleUrl?.(r),t.consoleOrigin,t.countsShown===!0&&e.length===1)).filter(Boolean).join(`
`)}export{W as a,Y as b,H as c,J as d,B as e,te as f};
