/**
 * A driver's connection options with `extra` added (a URL string becomes `{ uri }`). Every own
 * property of `config` is kept, not only the enumerable ones: clients hide the password from logs
 * by making it non-enumerable (Knex does), and a spread would drop it.
 */
export function withDriverOptions<O extends object>(config: string | O, extra: object = {}, defaults: object = {}): O {
  const base = typeof config === 'string' ? { uri: config } : config
  return Object.defineProperties({ ...defaults }, { ...Object.getOwnPropertyDescriptors(base), ...Object.getOwnPropertyDescriptors(extra) }) as O
}
