import { CACHE_MANAGER, CacheInterceptor } from '@nestjs/cache-manager';
import { Controller, Get, Inject, Query, UseInterceptors } from '@nestjs/common';
import type { Cache } from 'cache-manager';

/** GET /products is cached by CacheInterceptor; GET /report goes through CACHE_MANAGER's wrap. */
@Controller()
export class ProductsController {
  /** How many times each handler really ran (the cache answers the other requests). */
  readonly computed = { products: 0, report: 0 };

  constructor(@Inject(CACHE_MANAGER) private readonly cache: Cache) {}

  @Get('products')
  @UseInterceptors(CacheInterceptor)
  list(@Query('page') page = '1'): { page: string; computed: number } {
    this.computed.products++;
    return { page, computed: this.computed.products };
  }

  @Get('report')
  report(): Promise<{ total: number }> {
    return this.cache.wrap('report', async () => {
      this.computed.report++;
      return { total: 42 };
    });
  }
}
