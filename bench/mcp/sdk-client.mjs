// The official TypeScript SDK's Client doing what mcp-bench does: start-up (spawn, initialize,
// tools/list) and tools/call round trips of `echo` over stdio.
//
//   node sdk-client.mjs SERVERS_DIR ROUNDS CALLS COMMAND ARGS...
import {createRequire} from 'node:module';
import path from 'node:path';

const [serversDir, roundsText, callsText, command, ...args] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(serversDir), 'package.json'));
const {Client} = await import(require.resolve('@modelcontextprotocol/sdk/client/index.js'));
const {StdioClientTransport} = await import(require.resolve('@modelcontextprotocol/sdk/client/stdio.js'));

const report = (label, ms) => {
  ms.sort((a, b) => a - b);
  const f = (x) => x.toFixed(3).padStart(8);
  console.log(`${label.padEnd(28)} median ${f(ms[Math.floor(ms.length / 2)])} ms   p90 ${f(ms[Math.floor(ms.length * 9 / 10)])} ms   (n=${ms.length})`);
};

const startups = [];
const roundTrips = [];
for (let round = 0; round < Number(roundsText); round++) {
  const start = performance.now();
  const client = new Client({name: 'bench', version: '1.0.0'});
  await client.connect(new StdioClientTransport({command, args, stderr: 'ignore'}));
  await client.listTools();
  startups.push(performance.now() - start);
  for (let i = 0; i < Number(callsText); i++) {
    const call = performance.now();
    await client.callTool({name: 'echo', arguments: {message: 'ping'}});
    roundTrips.push(performance.now() - call);
  }
  await client.close();
}
console.log('@modelcontextprotocol/sdk Client (TypeScript)');
report('start-up (spawn+init+list)', startups);
report('tools/call echo round trip', roundTrips);
