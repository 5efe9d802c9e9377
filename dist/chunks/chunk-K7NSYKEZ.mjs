import{i as j}from"./chunk-AAAE4L5L.mjs";import{d as R,f as x,g as P,h as D,i as p}from"./chunk-W4EABK35.mjs";function W(e){for(let t of e?.jobs??[]){let r=t.steps?.find(o=>o.status==="failed");if(r)return x(r.name,200)}}function Y(e,t=400){let r=[...e].reverse().find(o=>o.failure)?.failure;if(r)return x(`${r.resource?`${r.resource}: `:""}${r.message}`,t)}function H(e){let t=Math.floor(e/3600),r=Math.floor(e%3600/60),o=Math.round(e%60);return[t&&`${t}h`,r&&`${r}m`,(o||!t&&!r)&&`${o}s`].filter(Boolean).join("")}var S={replace:["+-","to replace","replaced"],delete:["-","to delete","deleted"],create:["+","to create","created"],update:["~","to update","updated"],import:["=","to import","imported"],read:[">","to read","read"],refresh:["~","to refresh (drift)","refreshed (drift)"],discard:["<","to discard","discarded"],"remove-pending-replace":["-","to remove pending replace","removed pending replace"],"create-replacement":["++","to create replacement","created replacement"],"delete-replaced":["--","to delete original","deleted original"]},U=Object.keys(S),I=e=>Object.hasOwn(S,e)?S[e]:void 0,T=400,M=10,N=50,$=25,q=300,y=e=>{let t=U.indexOf(e);return t<0?U.length:t};function B(e,t){let r=Object.entries(e).filter(([a,n])=>n>0&&a!=="same"&&!(j.has(a)&&(e.replace??0)>0));r.sort(([a],[n])=>y(a)-y(n));let o=r.map(([a,n])=>{let c=I(a);return c?`${c[0]}${n} ${t?c[1]:c[2]}`:`${n} ${t?"to ":""}${P(R(a),40)}`});return o.length?(e.same&&o.push(`${e.same} unchanged`),o.join(", ")):e.same?`no changes, ${e.same} unchanged`:"no changes"}function m(e,t){return P(R(String(e??"")).replace(/[\r\n\u2028\u2029]/g," "),t)}function K(e){let t=/^([^:]+):([^:/]+)\/([^:/]+):([^:]+)$/.exec(e);return t&&t[3]===t[4].charAt(0).toLowerCase()+t[4].slice(1)?`${t[1]}:${t[2]}:${t[4]}`:e}var E={create:"creating",update:"updating",delete:"deleting",replace:"replacing",import:"importing",read:"reading",refresh:"refreshing"};function A(e){let t=m(e.key,120),r=e.replace?" (forces replacement)":"",o=c=>c===void 0?"":m(c,100),a=e.kind==="add"?"+":e.kind==="delete"?"-":"~",n=e.kind==="add"?o(e.new):e.kind==="delete"?o(e.old):e.old===void 0&&e.new===void 0?"":`${o(e.old)||"?"} => ${o(e.new)||"?"}`;return`    ${a} ${t}${n?`: ${n}`:""}${r}`}function v(e,t){let r=I(e.op),o=(r?.[0]??"*").padEnd(2),a=m(e.failed||e.interrupted?Object.hasOwn(E,e.op)?E[e.op]:e.op:t||!r?e.op:r[2],40),n=new Set(e.replaceKeys),c=e.props.length>0,b=!c&&e.keys.length&&e.op!=="create"&&e.op!=="delete"?` [diff: ${e.keys.map(u=>`~${m(u,100)}`).join(", ")}${e.more?`, ${e.more} more`:""}]`:"",w=e.failed?" failed":e.interrupted?" (interrupted)":"",l=[`${o} ${m(K(e.type),150)} ${m(e.name,150)} ${a}${w}${b}`];if(e.failed&&e.error&&l.push(`    error: ${m(e.error,q)}`),c){for(let s of e.props.slice(0,M))l.push(A({...s,replace:s.replace||n.has(s.key)}));let u=e.props.length-M+e.more+Math.max(0,e.keys.length-e.props.length);u>0&&l.push(`    ... ${u} more`)}return l}var C=class{constructor(t){this.limit=t}limit;text="";add(t){return this.text.length+t.length+1>this.limit?!1:(this.text+=`${t}
`,!0)}fits(t){return this.text.length+t<=this.limit}},_=(e,t)=>t>$?`<details><summary>${e}</summary>
`:`**${e}**
`,L=e=>e>$?`</details>
`:"",F=e=>`${e.severity==="error"?"\u274C":"\u26A0\uFE0F"} ${p(e.message,500).trim()}`;function X(e){let t=new Map;for(let o of e){let a=o.resource??"",n=t.get(a);n?n.push(o):t.set(a,[o])}let r=[];for(let[o,a]of[...t].sort(([n],[c])=>(n?1:0)-(c?1:0)))if(o){r.push(`- ${p(o,300).trim()}`);for(let n of a)r.push(`  - ${F(n)}`)}else for(let n of a)r.push(`- ${F(n)}`);return r}var G=e=>`| ${e.severity==="error"?"\u274C":"\u26A0\uFE0F"} ${p(e.level,40)} | ${p(e.pack,100)} | ${p(e.policy,100)} | ${e.resource?p(e.resource,200):"stack"} | ${p(e.message,300)} |`;function z(e,t,r,o="https://app.pulumi.com",a=!1){let n=new C(Math.max(0,t-T)),c=e.omittedResources,b=e.preview?"Preview":`${e.kind[0].toUpperCase()}${e.kind.slice(1)}`,w=e.changes?B(e.changes,e.preview):"Pulumi sent no summary; the list is from the resource events";if(!a&&!n.add(`#### ${p(b)}: ${p(w,2e3)}
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
`)}if(e.policies.length){let s=e.policies.length+e.omittedPolicies,i=e.policies.filter(g=>g.severity==="error").length,d=[...e.policies].sort((g,h)=>g.severity===h.severity?0:g.severity==="error"?-1:1).slice(0,N);n.add(_(`Policy violations (${s}${i?`, ${i} mandatory`:""})`,d.length)),n.add("| Level | Pack | Policy | Resource | Message |"),n.add("|---|---|---|---|---|");let f=0;for(let g of d){if(!n.add(G(g)))break;f++}n.add(s-f>0?`
_${s-f} more policy violations not shown._
`:""),n.text+=`${L(d.length)}
`}if(e.diagnostics.length){let s=X(e.diagnostics),i=e.diagnostics.filter(k=>k.severity==="error").length,d=e.diagnostics.length-i,f=`Diagnostics (${[i&&`${i} error${i===1?"":"s"}`,d&&`${d} warning${d===1?"":"s"}`].filter(Boolean).join(", ")})`,g=s.length>$||i===0;n.add(g?`<details><summary>${f}</summary>
`:`**${f}**
`);let h=0;for(let k of s){if(!n.add(k))break;h++}let O=s.length-h+e.omittedDiagnostics;n.add(O>0?`
_${O} more diagnostic lines not shown._
`:""),n.text+=g?`
</details>
`:`
`}let u=n.text;if(c>0){let s=D(r,o),i=s?`[the full plan in the Pulumi console](${s})`:"the full plan in the Pulumi console";u+=`
_${c} more changed resource${c===1?"":"s"} not shown here; see ${i}._
`}return u=u.replace(/:(?=:)/g,":\u200B").replace(/#\[/g,"#\u200B["),u.length<=t?u:u.slice(0,Math.max(0,u.lastIndexOf(`
`,t-1)+1))}function ee(e,t){if(!e.length||t.budget<=0)return"";let r=Math.floor(t.budget/e.length);return e.map(o=>z(o,r,t.consoleUrl?.(o),t.consoleOrigin,t.countsShown===!0&&e.length===1)).filter(Boolean).join(`
`)}export{W as a,Y as b,H as c,B as d,ee as e};
