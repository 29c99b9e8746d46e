// Drives claude-code-mcp with the official TypeScript SDK client, as a client nobody here wrote would.
// Usage: node sdk-client.mjs <working-dir> <server command> [server args...]
// Prints one JSON object with what it saw; exits non-zero on anything unexpected.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [workDir, command, ...args] = process.argv.slice(2);
const transport = new StdioClientTransport({ command, args, stderr: "ignore", env: process.env });
const client = new Client({ name: "node-sdk-test", version: "1.0.0" });
await client.connect(transport);
const report = { protocolVersion: transport._protocolVersion ?? null };

const { tools } = await client.listTools();
report.tools = tools.map(t => t.name).sort();

// The SDK validates structuredContent against each tool's outputSchema: a mismatch throws here.
const started = await client.callTool({ name: "claude_code_execute_async", arguments: { prompt: "fake:tool-start Bash\nfake:sleep 1500\nfake:text from node", working_dir: workDir } });
report.startedText = started.content[0].text;
const taskId = started.structuredContent.task_id;

const progress = [];
const waited = await client.callTool(
  { name: "claude_code_wait", arguments: { task_ids: [taskId], timeout: 30 } },
  undefined,
  { onprogress: p => progress.push(p), timeout: 60000 });
report.waitedStatus = waited.structuredContent.tasks[0].status;
report.waitedResult = waited.structuredContent.tasks[0].result;
report.progressCount = progress.length;
report.progressMessages = progress.map(p => p.message);

const checked = await client.callTool({ name: "claude_code_check_result", arguments: { task_id: taskId } });
report.checkedStatus = checked.structuredContent.status;

const output = await client.callTool({ name: "claude_code_get_output", arguments: { task_id: taskId } });
report.outputHasTool = output.structuredContent.text.includes("→ Bash");

const listed = await client.callTool({ name: "claude_code_list_tasks", arguments: { limit: 5 } });
report.listed = listed.structuredContent.tasks.length;

const bad = await client.callTool({ name: "claude_code_check_result", arguments: { task_id: "../../etc" } });
report.badIsError = bad.isError === true;
report.badText = bad.content[0].text;

// Aborting a blocking execute cancels the request; the server stops the child.
const abort = new AbortController();
const running = client.callTool(
  { name: "claude_code_execute", arguments: { prompt: "fake:sleep 60000", working_dir: workDir, name: "to-abort" } },
  undefined,
  { signal: abort.signal, timeout: 60000 });
await new Promise(r => setTimeout(r, 700));
abort.abort();
try { await running; report.abort = "not aborted"; } catch (e) { report.abort = String(e.message ?? e); }
for (let i = 0; i < 100; i++) {
  const l = await client.callTool({ name: "claude_code_list_tasks", arguments: { status: "cancelled" } });
  report.cancelledNames = l.structuredContent.tasks.map(t => t.name);
  if (report.cancelledNames.includes("to-abort")) break;
  await new Promise(r => setTimeout(r, 100));
}

await client.close();
console.log(JSON.stringify(report));
