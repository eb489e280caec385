import { dalliStore } from '@dalli/cache-manager';
import { CacheModule } from '@nestjs/cache-manager';
import { type DynamicModule, Module } from '@nestjs/common';
import { ProductsController } from './products.controller.ts';
import { ProductsService } from './products.service.ts';

@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is a decorated class with a static factory.
export class AppModule {
  /** The app, caching in the given memcached servers (Dalli's server strings). */
  static forServers(servers: readonly string[]): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CacheModule.register({
          stores: [dalliStore({ servers: [...servers], namespace: 'nest-example' })],
          ttl: 30_000, // milliseconds, as cache-manager 7 counts
        }),
      ],
      controllers: [ProductsController],
      providers: [ProductsService],
    };
  }
}
