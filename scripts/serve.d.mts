// Types of scripts/serve.mjs for the TypeScript tests that start it.
export const DEMO_CSP: string;
export const ISOLATION: Record<string, string>;
export function serve(options: { mounts: Record<string, string>; port?: number; headers?: (pathname: string) => Record<string, string> }): Promise<{ url: string; close(): Promise<void> }>;
