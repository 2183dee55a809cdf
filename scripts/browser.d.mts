/** Types of scripts/browser.mjs for the TypeScript tests and bench. */
export declare const BROWSER_ARGS: string[];
export declare class NoBrowser extends Error {}
export declare function findBrowser(): string | null;
export declare function ensureBrowser(): string;
export declare function ensureBrowserSoon(): Promise<string>;
export declare function browserOrExit(): string;
