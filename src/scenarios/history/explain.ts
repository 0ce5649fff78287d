import type { Anomaly, CycleStep } from './anomaly.ts'
import type { Transaction } from './history.ts'

/** What the explanation may say of a transaction besides its micro-operations: the SQL it sent. */
export type SqlOf = (txn: Transaction) => readonly string[] | undefined

/** One step of a cycle in words: how the transaction relates to the next. */
function stepInWords(step: CycleStep, next: CycleStep): string {
  const a = `T${step.txn}`
  const b = `T${next.txn}`
  const seen = step.seen === undefined ? 'empty' : `ending in ${step.seen}`
  switch (step.kind) {
    case 'ww':
      return `${a} appended (or wrote) a version of key ${step.key} that ${b} then overwrote with ${step.value} (ww)`
    case 'wr':
      return `${b} read key ${step.key} (${seen}), which includes ${a}'s write of ${step.value} (wr)`
    case 'rw':
      return `${a} read key ${step.key} (${seen}) without ${b}'s write of ${step.value}, which came right after that version (rw)`
    case 'process':
      return `${a} and ${b} ran on the same process, ${a} first`
    case 'realtime':
      return `${a} completed before ${b} began`
  }
}

/** A transaction's micro-operations as Jepsen writes them, e.g. `[r x [1 2]] [append y 3]`. */
export function showOps(txn: Transaction): string {
  return txn.ops.map(([f, key, value]) => `[${f} ${key} ${Array.isArray(value) ? `[${value.join(' ')}]` : value === null ? 'nil' : value}]`).join(' ')
}

/**
 * An anomaly in words: for a cycle, each step ("T2 read key 9 without T1's append of 5, …"),
 * then each transaction with its process, outcome, micro-operations and SQL, then a Mermaid
 * diagram of the cycle; for another anomaly, its description and its transactions.
 */
export function explainAnomaly(anomaly: Anomaly, transactions: readonly Transaction[], sqlOf: SqlOf = () => undefined): string {
  const lines = [`${anomaly.name}: ${anomaly.cycle ? 'a cycle of dependencies no serial order can have' : anomaly.description}`]
  if (anomaly.cycle) {
    anomaly.cycle.forEach((step, i) => lines.push(`  ${i + 1}. ${stepInWords(step, anomaly.cycle?.[(i + 1) % (anomaly.cycle?.length ?? 1)] as CycleStep)}`))
    lines.push(`  so T${anomaly.cycle[0]?.txn} comes both before and after itself.`)
  }
  lines.push('  the transactions:')
  for (const id of [...new Set(anomaly.txns)]) {
    const txn = transactions[id]
    if (!txn) continue
    lines.push(`    T${id} (process ${txn.process}, ${txn.type}): ${showOps(txn)}`)
    for (const sql of sqlOf(txn) ?? []) lines.push(`        ${sql}`)
  }
  if (anomaly.cycle) lines.push('  as a diagram (Mermaid):', ...mermaidOf(anomaly.cycle).split('\n').map((line) => `    ${line}`))
  return lines.join('\n')
}

/** A cycle as a Mermaid flowchart, each edge labelled with its kind and key. */
export function mermaidOf(cycle: readonly CycleStep[]): string {
  const lines = ['flowchart LR']
  cycle.forEach((step, i) => {
    const next = cycle[(i + 1) % cycle.length] as CycleStep
    const label = step.key === undefined ? step.kind : `${step.kind} ${step.key}`
    lines.push(`  T${step.txn} -->|${label}| T${next.txn}`)
  })
  return lines.join('\n')
}
