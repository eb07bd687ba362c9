export { main, buildProgram } from './main.js';
export { writeFileAtomic, toJson, formatTable, formatNumber, formatPValue, parseList, parseNumberOption, parseChoice } from './io.js';
