import { readData } from './src/index.js';
for (let k = 0; k < 3; k++) {
  const c0 = process.cpuUsage(); const t = performance.now();
  const d = await readData('/tmp/ddx/big.csv', { hash: k !== 1 });
  const c = process.cpuUsage(c0);
  console.log(k !== 1 ? 'hash' : 'nohash', Math.round(performance.now() - t), 'cpu', Math.round((c.user + c.system) / 1000), d.nRows);
}
