/**
 * A path of flows from start back to start, or null. Flows are few (dozens of channels), so a
 * depth-first walk from the one channel that changed is enough.
 */
export function findCycle(start: string, next: (id: string) => string[]): string[] | null {
  const path: string[] = [start];
  const done = new Set<string>();
  const walk = (id: string): string[] | null => {
    for (const to of next(id)) {
      if (to === start) return [...path, to];
      if (done.has(to) || path.includes(to)) continue;
      path.push(to);
      const found = walk(to);
      if (found) return found;
      path.pop();
      done.add(to);
    }
    return null;
  };
  return walk(start);
}
