/**
 * Network faults (`test-rig/toxics`): the loopback proxy behind `faults.network`, its toxics, and
 * the types to write a toxic of your own.
 */
export { NetworkFaults, type DirectionOption } from './faults/network-faults.ts'
export { NetworkProxy, type ToxicDirection, type ToxicHandle, type ProxyStats } from './faults/proxy/network-proxy.ts'
export type { ConnectionFacts, ConnectionSelector, ToxicScope } from './faults/proxy/toxic-scope.ts'
export type { Toxic, ToxicStream, Direction } from './faults/proxy/toxic.ts'
export { latency, type LatencyOptions } from './faults/proxy/toxics/latency.ts'
export { bandwidth, type BandwidthOptions } from './faults/proxy/toxics/bandwidth.ts'
export { resetPeer, type ResetPeerOptions } from './faults/proxy/toxics/reset-peer.ts'
export { timeout as blackholeToxic, type TimeoutOptions } from './faults/proxy/toxics/timeout.ts'
export { slowClose, type SlowCloseOptions } from './faults/proxy/toxics/slow-close.ts'
export { slicer, type SlicerOptions } from './faults/proxy/toxics/slicer.ts'
export { limitData, type LimitDataOptions } from './faults/proxy/toxics/limit-data.ts'
