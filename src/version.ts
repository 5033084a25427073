/** crossdock's version, as package.json says (a test keeps the two equal): `--version`, the User-Agent. */
export const version = "0.1.0";
