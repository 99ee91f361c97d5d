import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PopulationRegistry } from '../domain/verification/population-registry.ts';
import { AppError } from '../shared/errors.ts';
import { createFileRegistry } from './file-registry.ts';
import { createHttpRegistry, type HttpRegistryOptions } from './http-registry.ts';

/** The value of POPULATION_REGISTRY when unset: the synthetic sample shipped in the repository. */
export const DEFAULT_POPULATION_REGISTRY = 'file:data/population-sample.csv';

const invalid = (message: string) => new AppError('REGISTRY_CONFIG_INVALID', message);

/** The path in a `file:PATH` or `file:///PATH` value. */
function filePath(value: string): string {
  let path: string;
  try {
    path = value.startsWith('file://') ? fileURLToPath(value) : value.slice('file:'.length);
  } catch {
    throw invalid('POPULATION_REGISTRY file:// URL is not a valid local file URL');
  }
  if (path === '') throw invalid('POPULATION_REGISTRY file: needs a path, as in file:data/population.csv');
  return path;
}

/**
 * Builds the population registry named by a POPULATION_REGISTRY value:
 * - `file:PATH.csv`: a CSV file (see createFileRegistry); a relative PATH is resolved from `process.cwd()`;
 *   a `file:///absolute/path.csv` URL works too;
 * - `https://...` (or `http://` on a loopback host): a registry connector (see createHttpRegistry), with
 *   `httpOptions` (token, timeout) passed through.
 * Anything else throws a non-retryable `REGISTRY_CONFIG_INVALID` error. The file is read and validated here,
 * so a bad file stops the start-up.
 */
export async function createPopulationRegistry(
  spec: string,
  httpOptions: HttpRegistryOptions = {},
): Promise<PopulationRegistry> {
  const value = spec.trim();
  if (value.startsWith('file:')) {
    return createFileRegistry(resolve(process.cwd(), filePath(value)));
  }
  if (/^https?:\/\//i.test(value)) {
    return createHttpRegistry(value, httpOptions);
  }
  // Only the scheme is echoed: the value may be a URL that carries a secret.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1];
  throw invalid(
    `POPULATION_REGISTRY must be file:PATH.csv or an https:// URL${scheme === undefined ? '' : ` (got a ${scheme}: value)`}`,
  );
}
