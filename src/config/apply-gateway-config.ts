import { eq } from 'drizzle-orm';
import type { GatewayDb } from '../db/client.js';
import { newId } from '../ids.js';
import { deployments, models, providers } from '../db/schema.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { GatewayConfig } from './gateway-config.js';

// Moved to src/ids.ts; re-exported for existing imports.
export { newId };

/**
 * Applies the file idempotently: providers and models it declares are created or updated
 * to match it; objects created through the admin API are left alone.
 */
export function applyGatewayConfig(db: GatewayDb, config: GatewayConfig, secrets: SecretBox, now = new Date()): void {
  db.transaction((tx) => {
    const providerIds = new Map<string, string>();
    for (const provider of config.providers) {
      const existing = tx.select().from(providers).where(eq(providers.name, provider.name)).get();
      const values = {
        kind: provider.kind,
        baseUrl: provider.baseUrl ?? null,
        // Re-sealing on every boot would churn the row; keep the stored one when it still opens to the same value.
        credential:
          provider.apiKey === undefined
            ? null
            : existing?.credential && secrets.open(existing.credential) === provider.apiKey
              ? existing.credential
              : secrets.seal(provider.apiKey),
        options: provider.options ?? null,
        source: 'config' as const,
      };
      if (existing) {
        tx.update(providers).set({ ...values, updatedAt: now }).where(eq(providers.id, existing.id)).run();
        providerIds.set(provider.name, existing.id);
      } else {
        const id = newId('prv');
        tx.insert(providers).values({ id, name: provider.name, ...values, createdAt: now, updatedAt: now }).run();
        providerIds.set(provider.name, id);
      }
    }
    for (const model of config.models) {
      const values = {
        type: model.type,
        status: model.status ?? 'enabled',
        inputPrice: model.pricing?.input ?? null,
        outputPrice: model.pricing?.output ?? null,
        cachedInputPrice: model.pricing?.cachedInput ?? null,
        dropParams: model.dropParams ?? [],
        source: 'config' as const,
        updatedAt: now,
      };
      tx.insert(models)
        .values({ name: model.name, ...values, createdAt: now })
        .onConflictDoUpdate({ target: models.name, set: values })
        .run();
      tx.delete(deployments).where(eq(deployments.modelName, model.name)).run();
      for (const deployment of model.deployments) {
        tx.insert(deployments)
          .values({
            modelName: model.name,
            providerId: providerIds.get(deployment.provider) as string,
            upstreamModel: deployment.model,
            weight: deployment.weight ?? 1,
            priority: deployment.priority ?? 0,
          })
          .run();
      }
    }
  });
}
