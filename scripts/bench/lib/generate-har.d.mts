/** Writes a realistic HAR of `count` entries (about `flows` OAuth flows among them) to `file`; resolves to its size in bytes. */
export function generateHar(file: string, options?: { count?: number; flows?: number; seed?: number }): Promise<number>;
