#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module'; const require = __cgCreateRequire(import.meta.url);
var o={OK:0,FAIL:1,ERROR:2},s=class extends Error{constructor(n){super(n),this.name="UsageError"}};var a=[];function m(){let e=Math.max(...a.map(n=>n.name.length),4);return["change-gate: SOC 2 CC8.1 change management as code","","Usage: change-gate <command> [options]","","Commands:",...a.map(n=>`  ${n.name.padEnd(e)}  ${n.summary}`),"","Exit codes: 0 allow / ok, 1 deny / verification failed, 2 usage or runtime error.","Run 'change-gate help <command>' for a command's options."].join(`
`)}async function g(e,n){let[t,...i]=e;if(!t||t==="help"||t==="--help"||t==="-h"){let r=i[0]?a.find(c=>c.name===i[0]):void 0;return n.stdout((r?r.usage:m())+`
`),t?o.OK:o.ERROR}let d=a.find(r=>r.name===t);if(!d)return n.stderr(`change-gate: unknown command '${t}'.

${m()}
`),o.ERROR;try{return await d.run(i,n)}catch(r){if(r instanceof s)return n.stderr(`change-gate ${t}: ${r.message}

${d.usage}
`),o.ERROR;let c=r instanceof Error?r.message:String(r);return n.stderr(`change-gate ${t}: ${c}
`),o.ERROR}}process.on("unhandledRejection",e=>{process.stderr.write(`change-gate: unexpected failure: ${e instanceof Error?e.stack:String(e)}
`),process.exitCode=2});var p=await g(process.argv.slice(2),{stdout:e=>process.stdout.write(e),stderr:e=>process.stderr.write(e),env:process.env,cwd:process.cwd(),isTTY:!!process.stderr.isTTY});process.exitCode=p;
