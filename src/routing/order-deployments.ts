import type { DeploymentRoute } from '../catalog/model-catalog.js';

/**
 * The order in which deployments are tried: by priority (lower first), and within one priority
 * a weighted random order, so traffic spreads by weight and the rest serve as fallbacks.
 */
export function orderDeployments(routes: readonly DeploymentRoute[], random: () => number = Math.random): DeploymentRoute[] {
  const byPriority = new Map<number, DeploymentRoute[]>();
  for (const route of routes) byPriority.set(route.priority, [...(byPriority.get(route.priority) ?? []), route]);
  const ordered: DeploymentRoute[] = [];
  for (const priority of [...byPriority.keys()].sort((a, b) => a - b)) {
    const pool = [...(byPriority.get(priority) ?? [])];
    while (pool.length > 0) {
      const total = pool.reduce((sum, route) => sum + route.weight, 0);
      let pick = random() * total;
      let index = 0;
      while (index < pool.length - 1 && pick >= (pool[index]?.weight ?? 0)) {
        pick -= pool[index]?.weight ?? 0;
        index += 1;
      }
      ordered.push(...pool.splice(index, 1));
    }
  }
  return ordered;
}
