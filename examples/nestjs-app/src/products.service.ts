import { Injectable } from '@nestjs/common';

export interface Product {
  readonly id: number;
  readonly name: string;
  readonly price: number;
}

const PRODUCTS: readonly Product[] = [
  { id: 1, name: 'Espresso cup', price: 9.5 },
  { id: 2, name: 'Moka pot', price: 34 },
];

/** Stands in for a slow database, and counts how often it is asked. */
@Injectable()
export class ProductsService {
  lookups = 0;

  async find(id: number): Promise<Product | undefined> {
    this.lookups++;
    await new Promise((resolve) => setTimeout(resolve, 150));
    return PRODUCTS.find((product) => product.id === id);
  }
}
