// A slow lookup cached for 60 s in Nitro's cache storage (memcached): whichever instance computes
// it first, the others serve it.
export default defineCachedEventHandler(
  async (event) => {
    const id = getRouterParam(event, 'id');
    await new Promise((resolve) => setTimeout(resolve, 50)); // the database
    return { id, name: `product ${id}`, computedBy: process.env.INSTANCE_NAME ?? 'nitro', at: Date.now() };
  },
  { name: 'product', maxAge: 60, getKey: (event) => getRouterParam(event, 'id') },
);
