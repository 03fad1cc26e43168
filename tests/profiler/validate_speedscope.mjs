// Validates speedscope files against the file-format schema shipped by the
// speedscope package (with ajv), then checks what the schema cannot say but
// speedscope's importer needs: frame indices in range, one weight per
// sample, and evented profiles whose events are ordered in time and close
// the frame on top of the stack.
//
// usage: node validate_speedscope.mjs SCHEMA FILE...
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');

const [schemaPath, ...files] = process.argv.slice(2);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

let failed = 0;
for (const file of files) {
  const problems = [];
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  if (!validate(doc))
    for (const e of validate.errors.slice(0, 10)) problems.push(`schema: ${e.instancePath} ${e.message}`);
  const frames = doc.shared?.frames?.length ?? 0;
  for (const [i, profile] of (doc.profiles ?? []).entries()) {
    const where = `profiles[${i}]`;
    if (profile.type === 'sampled') {
      if (profile.samples.length !== profile.weights.length)
        problems.push(`${where}: ${profile.samples.length} samples, ${profile.weights.length} weights`);
      let sum = 0;
      for (const [s, stack] of profile.samples.entries()) {
        for (const f of stack)
          if (!Number.isInteger(f) || f < 0 || f >= frames) problems.push(`${where}.samples[${s}]: frame ${f}`);
        sum += profile.weights[s];
      }
      if (sum !== profile.endValue - profile.startValue)
        problems.push(`${where}: weights add up to ${sum}, not endValue - startValue`);
    } else if (profile.type === 'evented') {
      const open = [];
      let last = profile.startValue;
      for (const [k, e] of profile.events.entries()) {
        if (e.frame < 0 || e.frame >= frames) problems.push(`${where}.events[${k}]: frame ${e.frame}`);
        if (e.at < last) problems.push(`${where}.events[${k}]: time goes back (${e.at} < ${last})`);
        last = e.at;
        if (e.type === 'O') open.push(e.frame);
        else if (open.pop() !== e.frame) problems.push(`${where}.events[${k}]: closes a frame not on top`);
        if (problems.length > 10) break;
      }
      if (open.length) problems.push(`${where}: ${open.length} frames never closed`);
      if (last > profile.endValue) problems.push(`${where}: events after endValue`);
    }
  }
  if (problems.length) {
    failed++;
    console.log(`FAIL ${file}`);
    for (const p of problems.slice(0, 10)) console.log(`    ${p}`);
  } else {
    console.log(`ok   ${file}`);
  }
}
console.log(`speedscope files: ${files.length - failed} valid, ${failed} invalid`);
process.exit(failed ? 1 : 0);
