import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/** Every file under `dir`, relative to `base`, sorted. */
export async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full, base)));
    else out.push(path.relative(base, full));
  }
  return out.sort();
}

/** Copies a fixture tree, putting the registries' real addresses in place of the placeholders. */
export async function instantiate(from: string, to: string, vars: Record<string, string>): Promise<void> {
  await cp(from, to, { recursive: true });
  for (const file of await listFiles(to)) {
    const full = path.join(to, file);
    const text = await readFile(full, "utf8");
    await writeFile(
      full,
      text.replace(/\{\{(SOURCE|TARGET)\}\}/g, (_m, name: string) => vars[name]!),
    );
  }
}
