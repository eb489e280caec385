import { dalliStore } from '@dalli/cache-manager';
import { CacheModule } from '@nestjs/cache-manager';
import { type DynamicModule, Module } from '@nestjs/common';
import { ProductsController } from './products.controller.ts';

@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is a decorated class with a static factory.
export class AppModule {
  /**
   * NestJS 10's convention, as the project's brief writes it: `store` takes the factory, its
   * options sit beside it, and cache-manager 5 calls it.
   */
  static forServers(servers: readonly string[]): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CacheModule.register({
          store: dalliStore,
          servers: [...servers],
          namespace: 'nest10-example',
          ttl: 30_000, // milliseconds, as cache-manager 5 counts
        }),
      ],
      controllers: [ProductsController],
    };
  }
}
