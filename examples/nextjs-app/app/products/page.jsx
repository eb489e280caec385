import { loadCatalog } from './catalog.js';

// Static with Cache Components: rendered once, kept in the shared cache until 'products' (or
// this path) is revalidated on any instance.
export default async function ProductsPage() {
  const catalog = await loadCatalog();
  return (
    <main>
      <h1>Products</h1>
      <ul>
        {catalog.products.map((name) => (
          <li key={name}>{name}</li>
        ))}
      </ul>
      <p>
        catalog version <span id="version">{catalog.version}</span>, computed at {catalog.computedAt}
      </p>
    </main>
  );
}
