// Closing summary of a vitest JSON report. Exit 1 when a test file failed (also when its
// beforeAll failed and its tests were only marked skipped), when a test failed, when no test ran,
// or when a test was skipped without an entry in the allowed-skips file.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

const [reportFile, allowedFile] = process.argv.slice(2);
const report = JSON.parse(readFileSync(reportFile, 'utf8'));
// allowed-skips.tsv: `file<TAB>test title (substring)<TAB>reason`; `#` comments.
const allowed = existsSync(allowedFile)
  ? readFileSync(allowedFile, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split('\t'))
  : [];

let passed = 0, failed = 0, skipped = 0;
const failedFiles = [], unexplainedSkips = [];
for (const file of report.testResults) {
  const name = relative(process.cwd(), file.name);
  if (file.status === 'failed') failedFiles.push(`${name}: ${(file.message || 'failed').split('\n')[0]}`);
  for (const t of file.assertionResults) {
    if (t.status === 'passed') passed++;
    else if (t.status === 'failed') failed++;
    else {
      skipped++;
      const title = t.fullName || t.title;
      if (!allowed.some(([f, part, why]) => f === name && title.includes(part) && why)) unexplainedSkips.push(`${name}: ${title}`);
    }
  }
}
console.log(`Test files: ${report.testResults.length - failedFiles.length} passed, ${failedFiles.length} failed`);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped (${skipped - unexplainedSkips.length} with a documented reason)`);
for (const f of failedFiles) console.log(`FAILED FILE ${f}`);
for (const s of unexplainedSkips) console.log(`SKIPPED WITHOUT A REASON ${s}`);
const ok = report.numTotalTests > 0 && failed === 0 && failedFiles.length === 0 && unexplainedSkips.length === 0;
if (report.numTotalTests === 0) console.log('no test ran');
process.exit(ok ? 0 : 1);
