// Usage: Net8Loader <module folder>. Exit 0 when every check passed.
using System.IO.Pipes;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;

var module = args[0];
var failures = 0;
void Check(bool ok, string what)
{
    Console.WriteLine((ok ? "ok " : "fail ") + what);
    if (!ok) failures++;
}

// pwsh 7.4 has loaded System.Text.Json 8 before any module.
var frameworkJson = typeof(System.Text.Json.JsonSerializer).Assembly;
Check(Environment.Version.Major == 8, $"runtime {Environment.Version}");
Check(frameworkJson.GetName().Version!.Major == 8, $"default context has System.Text.Json {frameworkJson.GetName().Version}");

// Without the module's context, the MCP SDK cannot run beside it: it needs System.Text.Json 10.
try
{
    var sdk = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(module, "Dependencies", "ModelContextProtocol.Core.dll"));
    _ = sdk.GetType("ModelContextProtocol.McpJsonUtilities", throwOnError: true)!.GetProperty("DefaultOptions")!.GetValue(null);
    Check(false, "the MCP SDK fails in the default context");
}
catch (Exception e) when (e is FileLoadException or FileNotFoundException || e.InnerException is FileLoadException or FileNotFoundException or TypeInitializationException)
{
    var inner = e;
    while (inner.InnerException is not null) inner = inner.InnerException;
    Check(inner.Message.Contains("System.Text.Json", StringComparison.Ordinal), "the MCP SDK fails in the default context: " + inner.Message);
}

// Through the module's own loader (what ModuleInitializer.OnImport does), they load and serve.
var root = Assembly.LoadFrom(Path.Combine(module, "ClaudeCodeMcp.dll"));
var contextType = root.GetType("ClaudeCodeMcp.DependencyLoadContext", throwOnError: true)!;
contextType.GetMethod("Hook", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null);
var context = (AssemblyLoadContext)contextType.GetProperty("Instance", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
var mcp = context.LoadFromAssemblyName(new AssemblyName("ClaudeCodeMcp.Mcp"));
var server = mcp.GetType("ClaudeCodeMcp.Mcp.ClaudeMcpServer", throwOnError: true)!;
var run = server.GetMethod("RunAsync", [typeof(Stream), typeof(Stream), typeof(IReadOnlyList<string>), typeof(TextWriter), typeof(CancellationToken)])!;

var state = Path.Combine(Path.GetTempPath(), "ccm-net8-" + Guid.NewGuid().ToString("N"));
var clientOut = new AnonymousPipeServerStream(PipeDirection.Out);
var serverIn = new AnonymousPipeClientStream(PipeDirection.In, clientOut.ClientSafePipeHandle);
var serverOut = new AnonymousPipeServerStream(PipeDirection.Out);
var clientIn = new AnonymousPipeClientStream(PipeDirection.In, serverOut.ClientSafePipeHandle);
var serving = (Task)run.Invoke(null, [serverIn, serverOut, new[] { "--state-dir", state }, TextWriter.Null, CancellationToken.None])!;
var send = new StreamWriter(clientOut, new UTF8Encoding(false)) { AutoFlush = true };
var receive = new StreamReader(clientIn);
await send.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"net8","version":"1"}}}""");
var initialized = await receive.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
await send.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
await send.WriteLineAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""");
var tools = await receive.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
Check(initialized?.Contains("claude-code-mcp") == true, "initialize answered");
Check(tools?.Contains("claude_code_execute_async") == true, "tools/list answered with the task tools");
clientOut.Dispose();
await serving.WaitAsync(TimeSpan.FromSeconds(30));

var contextJson = context.Assemblies.FirstOrDefault(a => a.GetName().Name == "System.Text.Json");
Check(contextJson?.GetName().Version?.Major == 10, $"the module's context has System.Text.Json {contextJson?.GetName().Version}");
Check(frameworkJson.GetName().Version!.Major == 8, "the default context still has System.Text.Json 8");
Directory.Delete(state, recursive: true);
return failures == 0 ? 0 : 1;
