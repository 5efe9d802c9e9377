import{b as o}from"./chunk-3ZWMAIE6.mjs";var s=o((t,e)=>{e.exports=process.getBuiltinModule("node:fs")});export{s as a};
