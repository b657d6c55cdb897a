import { createRequire as __cgCreateRequire } from 'node:module'; const require = __cgCreateRequire(import.meta.url);
async function t(){process.stderr.write(`change-gate: the action is not built yet
`),process.exitCode=2}await t();
