// Nitro 2 (nitropack): the app lives in server/; the memcached storage is mounted by a plugin at
// start-up, so the servers come from the environment of the running instance, not the build.
export default {
  srcDir: 'server',
  compatibilityDate: '2026-01-01',
};
