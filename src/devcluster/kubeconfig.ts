// Kubeconfig files for the dev control plane: one cluster, one token user, one current context.
import { stringify } from 'yaml';

export interface KubeconfigParams {
  server: string;
  /** PEM bundle trusted for the server's certificate. */
  caData: string;
  user: string;
  token: string;
  /** Cluster and context name (default "chartrelease-dev"). */
  name?: string;
}

export function kubeconfigYaml(p: KubeconfigParams): string {
  const name = p.name ?? 'chartrelease-dev';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: p.server, 'certificate-authority-data': Buffer.from(p.caData).toString('base64') } }],
    users: [{ name: p.user, user: { token: p.token } }],
    contexts: [{ name, context: { cluster: name, user: p.user } }],
    'current-context': name,
    preferences: {},
  });
}
