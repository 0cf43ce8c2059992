// Where ChartReleases live in the API server, and the condition-message bound the API keeps.
import { GROUP, PLURAL, VERSION } from './types.js';

export function chartReleasePath(namespace: string, name: string, subresource?: string): string {
  return `/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(namespace)}/${PLURAL}/${encodeURIComponent(name)}${subresource ? '/' + subresource : ''}`;
}

export const chartReleasesPath = (namespace?: string) => `/apis/${GROUP}/${VERSION}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${PLURAL}`;

/** Longest message kept in a condition (status must stay small; the full text goes to the Event). */
export const MAX_CONDITION_MESSAGE = 1024;

export function truncateMessage(message: string): string {
  return message.length <= MAX_CONDITION_MESSAGE ? message : message.slice(0, MAX_CONDITION_MESSAGE - 3) + '...';
}
