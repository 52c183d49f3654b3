import { createContext, useContext, type ReactNode } from 'react';
import type { ProductNames } from '../../format';
import { Load, useLoad } from '../../ui';
import { vendor, type Product } from './vendor-api';

// The catalog the back office's pages name products from: loaded once as the back office opens,
// and again after an operator changes it, so every page writes a product's current name.
const CatalogContext = createContext<{ products: Product[]; names: ProductNames; reload(): void } | null>(null);

export function CatalogProvider({ children }: { children: ReactNode }) {
  const [state, reload] = useLoad(() => vendor.products(), []);
  return (
    <Load state={state} retry={reload} label="the products">
      {({ items }) => <CatalogContext.Provider value={{ products: items, names: new Map(items.map((p) => [p.code, p.name])), reload }}>{children}</CatalogContext.Provider>}
    </Load>
  );
}

export function useCatalog() {
  const catalog = useContext(CatalogContext);
  if (!catalog) throw new Error('CatalogProvider is missing');
  return catalog;
}
