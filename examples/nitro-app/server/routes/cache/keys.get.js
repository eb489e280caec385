// memcached cannot list its keys: the driver refuses getKeys() with a typed error.
export default defineEventHandler(async () => {
  try {
    return { keys: await useStorage('cache').getKeys() };
  } catch (error) {
    return { refused: error.code };
  }
});
