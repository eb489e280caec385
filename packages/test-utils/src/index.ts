export {
  ConfigEndpoint,
  type ConfigEndpointOptions,
  type ConfigNodeEntry,
  startConfigEndpoint,
} from './config-endpoint.ts';
export { Dnsmasq, type DnsmasqOptions, type HostRecords, type SrvRecord, startDnsmasq } from './dnsmasq.ts';
export { FaultProxy, type Faults, startFaultProxy, type TranscriptEntry } from './fault-proxy.ts';
export { freePort } from './free-port.ts';
export { type LocalServers, localServers } from './local-servers.ts';
export {
  ASCII_PASSWORD,
  type MemcachedKind,
  type MemcachedOptions,
  MemcachedProcess,
  MemcachedStartError,
  SASL_PASSWORD,
  SASL_USER,
  startMemcached,
  stopAllMemcached,
} from './memcached.ts';
export { itemTtl, itemTtlAfter, serverTime } from './meta-ttl.ts';
export { type RunningScript, runScript, type ScriptOptions, type ScriptResult, startScript } from './script-process.ts';
export {
  replyFrame,
  type ScriptedReply,
  type ScriptedRequest,
  ScriptedServer,
  startScriptedServer,
} from './scripted-server.ts';
export { beginTestRun, type TestRun, type TestRunCleanup } from './test-run.ts';
export { type TlsFiles, tlsFiles } from './tls-certificates.ts';
export { startTwemproxy, TwemproxyProcess } from './twemproxy.ts';
