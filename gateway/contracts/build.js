// Compiles the contracts in this directory with the pinned solc package and
// writes each one's ABI (NAME.abi, JSON) and creation bytecode (NAME.bin,
// hex). `make contracts` runs it and then abigen for the Go bindings.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const dir = __dirname;
const contracts = ['HearthMarket'];
const sources = {};
for (const name of contracts) {
  sources[name + '.sol'] = { content: fs.readFileSync(path.join(dir, name + '.sol'), 'utf8') };
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    evmVersion: 'cancun',
    optimizer: { enabled: true, runs: 1000 },
    viaIR: true,
    metadata: { bytecodeHash: 'none' },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
const out = JSON.parse(solc.compile(JSON.stringify(input)));
let failed = false;
for (const e of out.errors || []) {
  process.stderr.write(e.formattedMessage || e.message);
  if (e.severity === 'error') failed = true;
}
if (failed) process.exit(1);
for (const name of contracts) {
  const c = out.contracts[name + '.sol'][name];
  fs.writeFileSync(path.join(dir, name + '.abi'), JSON.stringify(c.abi, null, 1) + '\n');
  fs.writeFileSync(path.join(dir, name + '.bin'), c.evm.bytecode.object + '\n');
  process.stdout.write(`${name}: ${c.evm.bytecode.object.length / 2} bytes of creation code (solc ${solc.version()})\n`);
}
