// First byte past the module's static data: the memory manager places its regions here.
export function heapBase(): usize {
  return __heap_base;
}
