// createPool as the package root exports it: the pool's code (and the worker script it starts)
// loads on the first call, so pages that never make a pool never download it.
import type { Pool, PoolOptions } from './pool';

/**
 * Starts a pool of worker threads whose methods are the synchronous functions, returning
 * promises of the same results (see README "Threads"). Resolves once every worker is ready.
 */
export async function createPool(options?: PoolOptions): Promise<Pool> {
  const { createPool: create } = await import('./pool');
  return create(options);
}
