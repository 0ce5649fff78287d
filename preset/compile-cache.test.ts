import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { useCompileCache } from './compile-cache.ts'

describe('useCompileCache', () => {
  test('turns the cache on in Node\'s default directory, for this process and through the environment for the workers', () => {
    const env: NodeJS.ProcessEnv = {}
    const enabled: string[] = []
    expect(useCompileCache(env, (directory) => enabled.push(directory))).toBe(join(tmpdir(), 'node-compile-cache'))
    expect(env.NODE_COMPILE_CACHE).toBe(join(tmpdir(), 'node-compile-cache'))
    expect(enabled).toEqual([join(tmpdir(), 'node-compile-cache')])
  })

  test('keeps the user\'s own directory and leaves the cache off when Node\'s switch is there (Node reads even an empty one as off)', () => {
    const own: NodeJS.ProcessEnv = { NODE_COMPILE_CACHE: '/somewhere/else' }
    const off: NodeJS.ProcessEnv = { NODE_DISABLE_COMPILE_CACHE: '' }
    const enabled: string[] = []
    expect(useCompileCache(own, (directory) => enabled.push(directory))).toBe('/somewhere/else')
    expect(useCompileCache(off, (directory) => enabled.push(directory))).toBeUndefined()
    expect(own).toEqual({ NODE_COMPILE_CACHE: '/somewhere/else' })
    expect(off).toEqual({ NODE_DISABLE_COMPILE_CACHE: '' })
    expect(enabled).toEqual([])
  })

  test('on a Node without the cache nothing is set, and a failure to enable it here still leaves it to the workers', () => {
    const without: NodeJS.ProcessEnv = {}
    expect(useCompileCache(without, null)).toBeUndefined()
    expect(without).toEqual({})
    const failing: NodeJS.ProcessEnv = {}
    expect(useCompileCache(failing, () => { throw new Error('read-only tmp') })).toBe(join(tmpdir(), 'node-compile-cache'))
    expect(failing.NODE_COMPILE_CACHE).toBe(join(tmpdir(), 'node-compile-cache'))
  })
})
