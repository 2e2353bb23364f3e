// axe-core (through @axe-core/playwright) on a page of the real window, under its own strict CSP:
// the engine is injected by Playwright's evaluate (the DevTools protocol, which a page's CSP does
// not govern), so the page keeps script-src 'self' and no eval while it is audited.
import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'

export interface AxeFinding {
  rule: string
  impact: string
  /** How many elements break the rule. */
  count: number
  /** The first few offenders, for the failure message. */
  targets: string[]
  help: string
}

/** Every violation axe finds on the page as it is now (WCAG 2.x A and AA, and best practice). */
export async function audit(page: Page): Promise<AxeFinding[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze()
  return results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact ?? 'unknown',
    count: violation.nodes.length,
    targets: violation.nodes.slice(0, 4).map((node) => node.target.join(' ')),
    help: violation.help,
  }))
}

/** Serious or critical: what the window must have none of. */
export function blocking(findings: readonly AxeFinding[]): AxeFinding[] {
  return findings.filter((finding) => finding.impact === 'serious' || finding.impact === 'critical')
}

/** A Markdown table: one row per rule and impact, one column per view. */
export function axeTable(byView: ReadonlyMap<string, readonly AxeFinding[]>): string {
  const views = [...byView.keys()]
  const rules = new Map<string, Map<string, number>>()
  for (const [view, findings] of byView)
    for (const finding of findings) {
      const key = `${finding.rule} | ${finding.impact}`
      const row = rules.get(key) ?? new Map<string, number>()
      row.set(view, (row.get(view) ?? 0) + finding.count)
      rules.set(key, row)
    }
  const lines = [
    `| rule | impact | ${views.join(' | ')} |`,
    `| --- | --- | ${views.map(() => '---:').join(' | ')} |`,
  ]
  for (const [key, row] of [...rules].sort(([a], [b]) => a.localeCompare(b)))
    lines.push(`| ${key} | ${views.map((view) => row.get(view) ?? 0).join(' | ')} |`)
  if (rules.size === 0) lines.push(`| (none) | | ${views.map(() => 0).join(' | ')} |`)
  return lines.join('\n')
}
