// `pnpm --filter @refrain/studio build`; also the package's postinstall, so `pnpm install` builds the page.
import { buildStudio } from './bundle';

const built = await buildStudio();
process.stdout.write(`studio built: ${built.dir} (${built.js}, ${built.css})\n`);
