// Where the .proto files live by default: protos/ in the working directory when present, else
// the copy shipped with the package.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function defaultProtosDir(): string {
  const local = resolve('protos');
  if (existsSync(local)) return local;
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'protos');
}
