// Where the Bun and Deno binaries are. Each npm package ships its binary in a
// per-platform optional dependency; their postinstall scripts (which pnpm is told not to run, see
// pnpm-workspace.yaml) would only link it, or download it when missing. Resolving the platform
// package directly needs no script and no network: what `pnpm install` fetched from the registry runs.
import { createRequire } from 'node:module';
import { arch, platform } from 'node:process';

const require = createRequire(import.meta.url);

/** Platform package and binary path inside it, per `${platform}-${arch}`. */
const PLATFORMS = {
  bun: {
    'linux-x64': ['@oven/bun-linux-x64', 'bin/bun'],
    'linux-arm64': ['@oven/bun-linux-aarch64', 'bin/bun'],
    'darwin-x64': ['@oven/bun-darwin-x64', 'bin/bun'],
    'darwin-arm64': ['@oven/bun-darwin-aarch64', 'bin/bun'],
  },
  deno: {
    'linux-x64': ['@deno/linux-x64-glibc', 'deno'],
    'linux-arm64': ['@deno/linux-arm64-glibc', 'deno'],
    'darwin-x64': ['@deno/darwin-x64', 'deno'],
    'darwin-arm64': ['@deno/darwin-arm64', 'deno'],
  },
};

/**
 * The absolute path of the `runtime` binary (`bun` or `deno`) installed with the
 * workspace's devDependencies. Throws, naming the package, when this platform has none.
 */
export function runtimeBinary(runtime) {
  const entry = PLATFORMS[runtime]?.[`${platform}-${arch}`];
  if (entry === undefined) throw new Error(`no ${runtime} binary package for ${platform}-${arch}`);
  const [pkg, file] = entry;
  const launcher = createRequire(require.resolve(`${runtime}/package.json`));
  const dir = launcher.resolve(`${pkg}/package.json`).replace(/package\.json$/, '');
  return `${dir}${file}`;
}
