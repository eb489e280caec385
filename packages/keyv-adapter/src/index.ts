export { KeyvDalli, type StorageCapability } from './keyv-dalli.ts';
export { KeyvDalliV5 } from './keyv-dalli-v5.ts';
