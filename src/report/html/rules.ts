import type { Assessment, RuleResult } from '../types.js';
import { esc, escDates } from './escape.js';
import { groupLabel, RULE_NAME } from './groups.js';

/**
 * The policy rules at the latest assessment, for the record: collapsed on screen (<details>),
 * open in print. Each rule by its plain name with the identifier small, "met / not met / not
 * evaluated" (a rule that does not hold is not an error), rounded inputs and its source.
 */
function outcome(rule: RuleResult): string {
  if (rule.id === 'rule5_group' || rule.pass === null) {
    if (rule.id === 'rule5_group' && rule.value) return `<span class="na">→ ${esc(groupLabel(rule.value))}</span>`;
    return '<span class="na">not evaluated</span>';
  }
  return rule.pass ? '<span class="met">met</span>' : '<span class="notmet">not met</span>';
}

export function rulesSection(a: Assessment | undefined): string {
  if (!a || a.rules.length === 0) return '';
  const rows = a.rules
    .map(
      (rule) =>
        `<tr data-rule="${esc(rule.id)}"><td><strong>${esc(RULE_NAME[rule.id] ?? rule.description)}</strong><br><span class="id">${esc(rule.id)}</span>` +
        `${RULE_NAME[rule.id] ? `<br><span class="src">${esc(rule.description)}</span>` : ''}</td>` +
        `<td class="nw">${outcome(rule)}</td><td>${escDates(rule.value)}${rule.inputs ? `<br><span class="src">${escDates(rule.inputs.replace(/_/g, ' '))}</span>` : ''}</td>` +
        `<td>${esc(rule.threshold)}</td><td class="src">${esc(rule.source)}</td></tr>`,
    )
    .join('');
  return (
    `<details id="rules" class="card"><summary><h2>How the group was reached</h2> <span class="muted">(${a.rules.length} policy rules at the scan of ${esc(a.assessment_date)})</span>` +
    ' <span class="muted screen-only">— open to read; printed open</span></summary>' +
    `<p><strong>Rationale as classified:</strong> ${escDates(a.rationale)}</p>` +
    '<table class="rules"><thead><tr><th>rule</th><th>result</th><th>value and inputs</th><th>threshold</th><th>source</th></tr></thead>' +
    `<tbody>${rows}</tbody></table></details>`
  );
}
