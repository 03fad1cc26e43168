// Reads a JUnit XML file with junit2json (a JUnit reader from the npm
// registry) and prints what a CI system would take from it, as JSON: per
// suite its name and counts, per case its name, file, line and failure.
// Used by tests/ci/e2e.sh to check `wasmscope ci --junit` against the JSON
// report of the same run.
import { readFile } from 'node:fs/promises';
import { parse } from 'junit2json';

const xml = await readFile(process.argv[2], 'utf8');
const doc = await parse(xml);
const suites = (doc.testsuite ?? []).map((suite) => ({
  name: suite.name,
  tests: suite.tests,
  failures: suite.failures,
  cases: (suite.testcase ?? []).map((tc) => ({
    name: tc.name,
    file: tc.file ?? null,
    line: tc.line ?? null,
    failure: tc.failure ? tc.failure[0].message : null,
  })),
}));
console.log(JSON.stringify({ tests: doc.tests, failures: doc.failures, suites }, null, 1));
