// Test-only worker add-on used by active-support.ts while the worker does not yet call registerActiveHandlers().
import { registerActiveHandlers } from '../../src/background/active.ts';

registerActiveHandlers();
