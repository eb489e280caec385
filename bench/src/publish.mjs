// Makes the last run the one the README shows: bench/results/latest.json becomes published.*
//   node bench/src/publish.mjs
import { readFileSync } from 'node:fs';
import { resultsDir, writeReports } from './reports.mjs';

const summary = JSON.parse(readFileSync(`${resultsDir}latest.json`, 'utf8'));
for (const file of writeReports(summary, 'published')) console.log(`written: ${file}`);
