import { CACHE_MANAGER, CacheInterceptor } from '@nestjs/cache-manager';
import { Controller, Get, Inject, NotFoundException, Param, ParseIntPipe, UseInterceptors } from '@nestjs/common';
import type { Cache } from 'cache-manager';
// A value import, not `import type`: Nest injects by the class that decorator metadata records.
import { type Product, ProductsService } from './products.service.ts';

@Controller()
export class ProductsController {
  constructor(
    private readonly products: ProductsService,
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
  ) {}

  /** CacheInterceptor stores the response in memcached, keyed by URL, for the module's TTL. */
  @Get('products/:id')
  @UseInterceptors(CacheInterceptor)
  async product(@Param('id', ParseIntPipe) id: number): Promise<Product & { servedAt: string }> {
    const product = await this.products.find(id);
    if (product === undefined) throw new NotFoundException(`no product ${id}`);
    return { ...product, servedAt: new Date().toISOString() };
  }

  /** The cache by hand: a counter kept in memcached, shared by every instance of the app. */
  @Get('hits')
  async hits(): Promise<{ hits: number; lookups: number }> {
    const hits = ((await this.cache.get<number>('hits')) ?? 0) + 1;
    await this.cache.set('hits', hits, 60_000);
    return { hits, lookups: this.products.lookups };
  }
}
