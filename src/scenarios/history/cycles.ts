import type { Anomaly, AnomalyName, CycleAnomalyBase, CycleStep } from './anomaly.ts'
import { edgeKinds, type DependencyGraph } from './graph.ts'

const data = edgeKinds.ww | edgeKinds.wr | edgeKinds.rw
const nonRw = edgeKinds.ww | edgeKinds.wr

/** How a cycle search ended: what it found, and whether it ran out of time before it was done. */
export interface CycleSearch {
  readonly anomalies: Anomaly[]
  /** The searches left undone when the time ran out (their anomalies may exist). */
  readonly unfinished: readonly AnomalyName[]
}

/** Most cycles kept per anomaly name (the shortest ones found). */
const keptPerName = 3

/**
 * Finds cycles in the dependency graph and names them as Elle does: G0 (write cycles: ww only),
 * G1c (ww and wr, at least one wr), G-single (exactly one rw), G-nonadjacent (several rw, no two
 * adjacent), G2-item (several rw, two adjacent); each again with process order, then with real
 * time, named `-process` / `-realtime` when the cycle needs such an edge. Each search starts from
 * the edges of the kind the anomaly needs, inside the strongly connected components (only they
 * hold cycles), and follows the shortest path back (breadth first): the cycles it reports are the
 * shortest through their first edge. It stops at `deadline` (performance.now()), saying what it
 * left undone.
 */
export function findCycles(graph: DependencyGraph, deadline: number): CycleSearch {
  const all = data | edgeKinds.process | edgeKinds.realtime
  const { componentOf, cyclic } = graph.components(all)
  const anomalies: Anomaly[] = []
  const unfinished: AnomalyName[] = []
  if (cyclic.length === 0) return { anomalies, unfinished }
  const search = new PathSearch(graph, componentOf)
  const levels: Array<{ readonly extra: number; readonly suffix: '' | '-process' | '-realtime' }> = [
    { extra: 0, suffix: '' },
    { extra: edgeKinds.process, suffix: '-process' },
    { extra: edgeKinds.process | edgeKinds.realtime, suffix: '-realtime' },
  ]
  const seen = new Set<string>()
  for (const { extra, suffix } of levels) {
    const specs: Array<{ readonly base: CycleAnomalyBase; readonly start: number; readonly allowed: number; readonly nonadjacent?: boolean }> = [
      { base: 'G0', start: edgeKinds.ww, allowed: edgeKinds.ww | extra },
      { base: 'G1c', start: edgeKinds.wr, allowed: nonRw | extra },
      { base: 'G-single', start: edgeKinds.rw, allowed: nonRw | extra },
      { base: 'G-nonadjacent', start: edgeKinds.rw, allowed: data | extra, nonadjacent: true },
      { base: 'G2-item', start: edgeKinds.rw, allowed: data | extra },
    ]
    for (const spec of specs) {
      const found: Array<readonly number[]> = []
      let done = true
      for (const start of graph.edgesOf(spec.start)) {
        if (performance.now() > deadline) {
          done = false
          break
        }
        const from = graph.sourceOf(start)
        const to = graph.targetOf(start)
        if (componentOf[from] !== componentOf[to]) continue
        const path = spec.nonadjacent ? search.nonadjacentPath(to, from, spec.allowed) : search.path(to, from, spec.allowed)
        if (!path) continue
        const cycle = [start, ...path]
        // A walk that passes a transaction twice is two cycles, not one: each is found on its own.
        if (!simple(graph, cycle)) continue
        const name = nameOf(graph, cycle, spec.base, suffix)
        // Each search reports only the cycles of its own name (a longer search finds the shorter kinds too).
        if (name !== `${spec.base}${suffix}`) continue
        const key = [...cycle].sort((a, b) => a - b).join(',')
        if (seen.has(key)) continue
        seen.add(key)
        found.push(cycle)
        found.sort((a, b) => a.length - b.length)
        if (found.length > keptPerName) found.pop()
      }
      if (!done) unfinished.push(`${spec.base}${suffix}` as AnomalyName)
      for (const cycle of found) anomalies.push(toAnomaly(graph, cycle, `${spec.base}${suffix}` as AnomalyName))
    }
  }
  return { anomalies, unfinished }
}

/** Whether a cycle of edges visits each transaction once. */
function simple(graph: DependencyGraph, cycle: readonly number[]): boolean {
  const nodes = cycle.map((id) => graph.sourceOf(id))
  return new Set(nodes).size === nodes.length
}

/** The name of a cycle of edges: its rw count and their adjacency, and the non-data edges it needs. */
function nameOf(graph: DependencyGraph, cycle: readonly number[], base: CycleAnomalyBase, suffix: string): string {
  const kinds = cycle.map((id) => graph.kindOf(id))
  const rw = kinds.filter((kind) => kind === edgeKinds.rw).length
  const adjacent = kinds.some((kind, i) => kind === edgeKinds.rw && kinds[(i + 1) % kinds.length] === edgeKinds.rw)
  const wr = kinds.some((kind) => kind === edgeKinds.wr)
  const realName: CycleAnomalyBase = rw === 0 ? (wr ? 'G1c' : 'G0') : rw === 1 ? 'G-single' : adjacent ? 'G2-item' : 'G-nonadjacent'
  const realtime = kinds.some((kind) => kind === edgeKinds.realtime)
  const process = kinds.some((kind) => kind === edgeKinds.process)
  const realSuffix = realtime ? '-realtime' : process ? '-process' : ''
  return realName === base && realSuffix === suffix ? `${base}${suffix}` : `${realName}${realSuffix}`
}

function toAnomaly(graph: DependencyGraph, cycle: readonly number[], name: AnomalyName): Anomaly {
  const steps: CycleStep[] = cycle.map((id) => {
    const edge = graph.edge(id)
    return {
      txn: edge.from,
      kind: edge.kind,
      ...(edge.label?.key === undefined ? {} : { key: edge.label.key }),
      ...(edge.label?.value === undefined ? {} : { value: edge.label.value }),
      ...(edge.label?.seen === undefined ? {} : { seen: edge.label.seen }),
    }
  })
  return { name, txns: steps.map((step) => step.txn), cycle: steps, description: `a cycle of ${steps.length} transactions: ${steps.map((step) => `T${step.txn} ${step.kind}→`).join(' ')} T${steps[0]?.txn}` }
}

/** Breadth-first path searches inside one strongly connected component, reusing their buffers. */
class PathSearch {
  readonly #graph: DependencyGraph
  readonly #componentOf: Int32Array
  readonly #stamp: Int32Array
  readonly #via: Int32Array
  #generation = 0

  constructor(graph: DependencyGraph, componentOf: Int32Array) {
    this.#graph = graph
    this.#componentOf = componentOf
    // Four states a node (see nonadjacentPath); plain searches use the first.
    this.#stamp = new Int32Array(graph.size * 4)
    this.#via = new Int32Array(graph.size * 4)
  }

  /** The shortest path of edges in `allowed` from `from` to `to` (edge ids), or undefined. */
  path(from: number, to: number, allowed: number): number[] | undefined {
    if (from === to) return []
    const generation = ++this.#generation
    const component = this.#componentOf[from]
    this.#stamp[from] = generation
    let frontier = [from]
    while (frontier.length > 0) {
      const next: number[] = []
      for (const node of frontier) {
        let reached = false
        this.#graph.forEachOut(node, allowed, (edge, target) => {
          if (reached || this.#stamp[target] === generation || this.#componentOf[target] !== component) return
          this.#stamp[target] = generation
          this.#via[target] = edge
          if (target === to) reached = true
          next.push(target)
        })
        if (reached) return this.#walkBack(to, from, (node) => node)
      }
      frontier = next
    }
    return undefined
  }

  /**
   * The shortest path from `from` to `to` that a cycle closed by an rw edge `to → from` can take
   * and stay G-nonadjacent: no two rw edges in a row (nor its last edge an rw, next to the closing
   * one; the first step follows that rw too), and at least one rw of its own. States: node ×
   * (last edge rw) × (an rw taken).
   */
  nonadjacentPath(from: number, to: number, allowed: number): number[] | undefined {
    const generation = ++this.#generation
    const component = this.#componentOf[from]
    const state = (node: number, lastRw: number, usedRw: number) => node * 4 + lastRw * 2 + usedRw
    const start = state(from, 1, 0)
    this.#stamp[start] = generation
    let frontier = [start]
    while (frontier.length > 0) {
      const next: number[] = []
      for (const current of frontier) {
        const node = Math.floor(current / 4)
        const lastRw = (current >> 1) & 1
        const usedRw = current & 1
        let goal = -1
        // The cycle closes at `to` and starts at `from`: neither is passed through on the way.
        if (current !== start && (node === to || node === from)) continue
        this.#graph.forEachOut(node, allowed, (edge, target) => {
          if (goal >= 0 || this.#componentOf[target] !== component) return
          const isRw = this.#graph.kindOf(edge) === edgeKinds.rw ? 1 : 0
          if (isRw && lastRw) return
          const reachedState = state(target, isRw, usedRw | isRw)
          if (this.#stamp[reachedState] === generation) return
          this.#stamp[reachedState] = generation
          this.#via[reachedState] = edge * 4 + (current & 3)
          if (target === to && !isRw && (usedRw | isRw)) goal = reachedState
          next.push(reachedState)
        })
        if (goal >= 0) {
          const path: number[] = []
          for (let at = goal; at !== start;) {
            const packed = this.#via[at] as number
            const edge = Math.floor(packed / 4)
            path.push(edge)
            at = this.#graph.sourceOf(edge) * 4 + (packed & 3)
          }
          return path.reverse()
        }
      }
      frontier = next
    }
    return undefined
  }

  #walkBack(to: number, from: number, index: (node: number) => number): number[] {
    const path: number[] = []
    for (let node = to; node !== from;) {
      const edge = this.#via[index(node)] as number
      path.push(edge)
      node = this.#graph.sourceOf(edge)
    }
    return path.reverse()
  }
}
