import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fixturePath } from "../../helpers/paths.js";

/** A throwaway home directory with a `bin/` for helper scripts, and the environment to use it. */
export interface TempHome {
  readonly root: string;
  readonly home: string;
  /** `PATH` is `<root>/bin` then the system's; `HOME` is `home`. Nothing else from the real environment. */
  readonly env: NodeJS.ProcessEnv;
  /** Writes `data` as JSON (or a string as is) to a path under root; returns the absolute path. */
  write(relative: string, data: unknown): Promise<string>;
  /** Puts the fixture helper script on PATH as `docker-credential-<name>`. */
  installHelper(name?: string): Promise<void>;
  remove(): Promise<void>;
}

/** Makes a `TempHome`; the caller removes it in `after`/`finally`. */
export async function makeTempHome(): Promise<TempHome> {
  const root = await mkdtemp(path.join(os.tmpdir(), "crossdock-credentials-"));
  const home = path.join(root, "home");
  const bin = path.join(root, "bin");
  await mkdir(home);
  await mkdir(bin);
  return {
    root,
    home,
    env: { PATH: `${bin}${path.delimiter}${process.env["PATH"] ?? "/usr/bin:/bin"}`, HOME: home },
    async write(relative, data) {
      const file = path.join(root, relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, typeof data === "string" ? data : JSON.stringify(data, null, 2));
      return file;
    },
    async installHelper(name = "test") {
      const target = path.join(bin, `docker-credential-${name}`);
      await copyFile(fixturePath("credentials", "docker-credential-test"), target);
      await chmod(target, 0o755);
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** base64 of `user:password`, as `docker login` writes `auth`. */
export function basicAuth(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`).toString("base64");
}
