// The LeaseClient over our KubeClient: coordination.k8s.io/v1 Leases by raw request.
import { isNotFound, type KubeClient } from '../kube/index.js';
import type { LeaseClient } from './elector.js';
import type { Lease } from './lease.js';

const leases = (namespace: string) => `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;

export function leaseClientFor(kube: KubeClient): LeaseClient {
  return {
    async get(namespace, name, signal) {
      try {
        return await kube.get<Lease>(`${leases(namespace)}/${encodeURIComponent(name)}`, { signal });
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },
    create: (lease, signal) => kube.create<Lease>(leases(lease.metadata.namespace), lease, { signal }),
    replace: (lease, signal) => kube.replace<Lease>(`${leases(lease.metadata.namespace)}/${encodeURIComponent(lease.metadata.name)}`, lease, { signal }),
  };
}
