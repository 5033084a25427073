import { register } from "node:module";

/**
 * A load hook that gives `.json` modules the `type: "json"` import attribute Node requires:
 * @actions/workflow-parser imports its schema JSON without one (it is built for bundlers).
 * https://nodejs.org/docs/latest-v20.x/api/esm.html#import-attributes
 */
const jsonAttributeHook = `export async function load(url, context, nextLoad) {
  if (!url.endsWith(".json")) return nextLoad(url, context);
  return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: "json" } });
}`;

/** Loads @actions/workflow-parser (GitHub's own workflow schema and parser) under Node 20. */
export async function loadWorkflowParser(): Promise<typeof import("@actions/workflow-parser")> {
  register(`data:text/javascript,${encodeURIComponent(jsonAttributeHook)}`);
  return await import("@actions/workflow-parser");
}

/**
 * The schema errors GitHub would show for a workflow file, by GitHub's own parser; none for a
 * valid one. `name` is the file name the messages use.
 */
export async function workflowErrors(name: string, content: string): Promise<string[]> {
  const { NoOperationTraceWriter, parseWorkflow } = await loadWorkflowParser();
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => e.message);
}
