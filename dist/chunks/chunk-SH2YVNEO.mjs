import{b as o}from"./chunk-3ZWMAIE6.mjs";var t=o((p,e)=>{e.exports=process.getBuiltinModule("node:crypto")});export{t as a};
