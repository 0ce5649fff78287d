// The layer order of test-rig (lowest first). A folder may import its own layer and any layer
// before it in this list, never one after it; `preset/` and `src/cli` are entry points that no
// other folder imports. `npm test` runs these rules (`npm run layers`).
const layers = ['src/config', 'src/resilience', 'src/server', 'src/faults', 'src/machines', 'src/scenarios', 'src/vitest', 'src/cli', 'preset']

/** One rule per layer: nothing in it imports a layer above it. */
const upArrows = layers.slice(0, -1).map((layer, index) => ({
  name: `no-up-from-${layer.replace(/^src\//, '')}`,
  comment: `${layer} sits below ${layers.slice(index + 1).join(', ')} (DESIGN.md, Layers): it must not import them`,
  severity: 'error',
  from: { path: `^${layer}/` },
  to: { path: `^(${layers.slice(index + 1).join('|')})/` },
}))

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upArrows,
    {
      name: 'entry-points-are-not-imported',
      comment: 'preset/ and src/cli are entry points: only their own files and tests import them',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^(src/cli|preset)/' },
    },
    {
      name: 'pure-logic-without-mysql2',
      comment: 'the config layer and the SQL splitter need no driver: they never load mysql2',
      severity: 'error',
      from: { path: '^src/config/|^src/server/sql-script\\.ts$' },
      to: { path: 'node_modules/mysql2/' },
    },
    {
      name: 'no-circular-layers',
      comment: 'a cycle between files of different layers is an up-arrow in disguise',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, pathNot: '^$1', path: '^src/([^/]+)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: false,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
  },
}
