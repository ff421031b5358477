// Writes docs/datasets.md from the dataset definitions (see packages/lake/src/datasets/reference.ts).
import { writeFileSync } from 'node:fs';
import { datasetsReference } from '../packages/lake/src/datasets/reference.js';

writeFileSync(new URL('../docs/datasets.md', import.meta.url), datasetsReference());
