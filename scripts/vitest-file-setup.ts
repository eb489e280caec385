import { statSync } from 'node:fs';

// Runs before each test file. Files share a worker process (isolate: false), and Node 20's
// fs.realpathSync, which require resolves module paths with, reads the type of a path part it has
// cached from the shared result of the process's last synchronous stat: if that was a Unix socket
// (a memcached -s socket, an rmSync of its folder), it stops there and returns the path
// unresolved. A package reached through a pnpm symlink then looks for its dependencies beside the
// link ("Cannot find module 'hashring'"). A stat of a folder leaves a directory as the last stat,
// so no file begins with what the one before it left (Node 24 is fixed).
statSync(process.cwd());
