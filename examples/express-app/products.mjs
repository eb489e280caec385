// Stands in for a slow database: the thing the cache saves you from asking twice.
const PRODUCTS = new Map([
  ['1', { id: 1, name: 'Espresso cup', price: 9.5 }],
  ['2', { id: 2, name: 'Moka pot', price: 34 }],
  ['3', { id: 3, name: 'Grinder', price: 129 }],
]);

export const PRODUCT_IDS = [...PRODUCTS.keys()];

let lookups = 0;

/** How many times the "database" was asked. */
export const databaseLookups = () => lookups;

/** One product after 150 ms, or undefined. */
export async function loadProduct(id) {
  lookups++;
  await new Promise((resolve) => setTimeout(resolve, 150));
  return PRODUCTS.get(id);
}
