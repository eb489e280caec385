/** Flag values as `util.parseArgs` returns them. */
export type FlagValues = { readonly [name: string]: string | boolean | (string | boolean)[] | undefined };
