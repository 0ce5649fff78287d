import type { Key, Value } from './history.ts'

/** Kinds of dependency edge, as bits: a pair of transactions may be related in several ways. */
export const edgeKinds = { ww: 1, wr: 2, rw: 4, process: 8, realtime: 16 } as const

/** An edge kind's name. */
export type EdgeKind = keyof typeof edgeKinds

/** Names by kind bit. */
const kindNames: Record<number, EdgeKind> = Object.fromEntries(Object.entries(edgeKinds).map(([name, bit]) => [bit, name as EdgeKind]))

/** What an edge was inferred from: the key, and the value whose order or visibility relates the two transactions. */
export interface EdgeLabel {
  readonly key: Key | undefined
  readonly value: Value | undefined
  /** For `wr`/`rw`: the version the reader saw (its last element; undefined for an empty read). */
  readonly seen?: Value | undefined
}

/**
 * The dependency graph of a history's transactions (Adya's DSG, with Elle's process and real-time
 * orders): edges are added as they are inferred, then frozen into compact adjacency arrays.
 */
export class DependencyGraph {
  readonly size: number
  // Edges in growing typed arrays: a large history has millions of them.
  #from = new Int32Array(1024)
  #to = new Int32Array(1024)
  #kind = new Uint8Array(1024)
  /** Per edge, its label's index in #labels, or -1 (process and real-time edges have none). */
  #labelOf = new Int32Array(1024)
  readonly #labels: EdgeLabel[] = []
  #count = 0
  #offsets: Int32Array | undefined
  #targets: Int32Array | undefined
  #edgeIds: Int32Array | undefined

  constructor(size: number) {
    this.size = size
  }

  /** Adds `from → to` of `kind` (self edges are left out). */
  add(from: number, to: number, kind: EdgeKind, label?: EdgeLabel): void {
    if (from === to) return
    if (this.#count === this.#from.length) this.#grow()
    const id = this.#count++
    this.#from[id] = from
    this.#to[id] = to
    this.#kind[id] = edgeKinds[kind]
    this.#labelOf[id] = label === undefined ? -1 : this.#labels.push(label) - 1
    this.#offsets = undefined
  }

  #grow(): void {
    const grown = <A extends Int32Array | Uint8Array>(array: A): A => {
      const bigger = new (array.constructor as new (length: number) => A)(array.length * 2)
      bigger.set(array)
      return bigger
    }
    this.#from = grown(this.#from)
    this.#to = grown(this.#to)
    this.#kind = grown(this.#kind)
    this.#labelOf = grown(this.#labelOf)
  }

  /** How many edges. */
  get edgeCount(): number {
    return this.#count
  }

  /** The edge's ends, kind and label. */
  edge(id: number): { readonly from: number; readonly to: number; readonly kind: EdgeKind; readonly label: EdgeLabel | undefined } {
    const bit = this.#kind[id] as number
    const label = this.#labelOf[id] as number
    return { from: this.#from[id] as number, to: this.#to[id] as number, kind: kindNames[bit] as EdgeKind, label: label < 0 ? undefined : this.#labels[label] }
  }

  /** The source of an edge. */
  sourceOf(id: number): number {
    return this.#from[id] as number
  }

  /** The kind bit of an edge. */
  kindOf(id: number): number {
    return this.#kind[id] as number
  }

  /** The target of an edge. */
  targetOf(id: number): number {
    return this.#to[id] as number
  }

  /** Calls `visit(edgeId, target)` for each edge out of `node` whose kind is in `mask`. */
  forEachOut(node: number, mask: number, visit: (edgeId: number, target: number) => void): void {
    this.#freeze()
    const offsets = this.#offsets as Int32Array
    const ids = this.#edgeIds as Int32Array
    const targets = this.#targets as Int32Array
    for (let at = offsets[node] as number; at < (offsets[node + 1] as number); at++) {
      const id = ids[at] as number
      if ((this.#kind[id] as number) & mask) visit(id, targets[at] as number)
    }
  }

  /** Edge ids of a kind in `mask`, in the order they were added. */
  edgesOf(mask: number): number[] {
    const found: number[] = []
    for (let id = 0; id < this.#count; id++) if ((this.#kind[id] as number) & mask) found.push(id)
    return found
  }

  #freeze(): void {
    if (this.#offsets) return
    const offsets = new Int32Array(this.size + 1)
    for (let id = 0; id < this.#count; id++) {
      const from = this.#from[id] as number
      offsets[from + 1] = (offsets[from + 1] as number) + 1
    }
    for (let i = 0; i < this.size; i++) offsets[i + 1] = (offsets[i + 1] as number) + (offsets[i] as number)
    const fill = offsets.slice(0, this.size)
    const targets = new Int32Array(this.#count)
    const ids = new Int32Array(this.#count)
    for (let id = 0; id < this.#count; id++) {
      const from = this.#from[id] as number
      const at = fill[from] as number
      targets[at] = this.#to[id] as number
      ids[at] = id
      fill[from] = at + 1
    }
    this.#offsets = offsets
    this.#targets = targets
    this.#edgeIds = ids
  }

  /**
   * Strongly connected components over the edges in `mask` (Tarjan's algorithm, iterative): each
   * node's component number, and the components of more than one node (only they hold cycles).
   */
  components(mask: number): { readonly componentOf: Int32Array; readonly cyclic: number[][] } {
    const index = new Int32Array(this.size).fill(-1)
    const low = new Int32Array(this.size)
    const onStack = new Uint8Array(this.size)
    const componentOf = new Int32Array(this.size).fill(-1)
    const stack: number[] = []
    const cyclic: number[][] = []
    let counter = 0
    let components = 0
    this.#freeze()
    const offsets = this.#offsets as Int32Array
    const ids = this.#edgeIds as Int32Array
    const allTargets = this.#targets as Int32Array
    const kinds = this.#kind
    const outOf = (node: number): number[] => {
      const targets: number[] = []
      for (let at = offsets[node] as number; at < (offsets[node + 1] as number); at++) if ((kinds[ids[at] as number] as number) & mask) targets.push(allTargets[at] as number)
      return targets
    }
    for (let root = 0; root < this.size; root++) {
      if ((index[root] as number) !== -1) continue
      const work: Array<{ node: number; targets: number[]; next: number }> = [{ node: root, targets: outOf(root), next: 0 }]
      index[root] = low[root] = counter++
      stack.push(root)
      onStack[root] = 1
      while (work.length > 0) {
        const frame = work[work.length - 1] as { node: number; targets: number[]; next: number }
        if (frame.next < frame.targets.length) {
          const target = frame.targets[frame.next++] as number
          if ((index[target] as number) === -1) {
            index[target] = low[target] = counter++
            stack.push(target)
            onStack[target] = 1
            work.push({ node: target, targets: outOf(target), next: 0 })
          } else if (onStack[target]) {
            low[frame.node] = Math.min(low[frame.node] as number, index[target] as number)
          }
          continue
        }
        work.pop()
        const parent = work[work.length - 1]
        if (parent) low[parent.node] = Math.min(low[parent.node] as number, low[frame.node] as number)
        if ((low[frame.node] as number) === (index[frame.node] as number)) {
          const members: number[] = []
          for (;;) {
            const member = stack.pop() as number
            onStack[member] = 0
            componentOf[member] = components
            members.push(member)
            if (member === frame.node) break
          }
          if (members.length > 1) cyclic.push(members)
          components++
        }
      }
    }
    return { componentOf, cyclic }
  }
}
