// Where tests find the repository and the shared test data. Tests run from the repository root.
import { join, resolve } from 'node:path';

export const repoRoot = resolve(process.env.CHARTRELEASE_ROOT ?? process.cwd());
/** ../shared next to the repository: the corpus of real charts and the research notes (read-only). */
export const sharedDir = resolve(repoRoot, '..', 'shared');
export const corpusDir = join(sharedDir, 'corpus');
