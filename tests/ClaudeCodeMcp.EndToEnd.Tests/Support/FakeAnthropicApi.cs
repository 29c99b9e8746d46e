using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ClaudeCodeMcp.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClaudeCodeMcp.EndToEnd.Tests.Support;

/// <summary>
/// A fake Anthropic Messages API on 127.0.0.1 (a free port) in the test process. The CLI calls only
/// <c>POST /v1/messages?beta=true</c> with <c>stream: true</c>; each request is recorded whole and answered by the
/// first rule that matches it (SSE for a message, a JSON error body for an HTTP error, or nothing at all for a stall).
/// A request no rule matches gets HTTP 400 saying so, which fails the child with a readable reason.
/// </summary>
public sealed class FakeAnthropicApi : IAsyncDisposable
{
    private readonly List<(Func<ApiRequest, bool> When, Func<ApiRequest, ApiReply> Reply)> _rules = [];
    private readonly List<ApiRequest> _requests = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly WebApplication _app;
    private int _inFlight;
    private int _maxInFlight;
    private int _stalled;
    private int _messageCounter;

    private FakeAnthropicApi()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    public static async Task<FakeAnthropicApi> StartAsync()
    {
        var api = new FakeAnthropicApi();
        await api._app.StartAsync();
        var address = api._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        api.Port = new Uri(address).Port;
        return api;
    }

    public int Port { get; private set; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The most requests that were being answered at one moment.</summary>
    public int MaxConcurrent => Volatile.Read(ref _maxInFlight);

    /// <summary>Requests being stalled right now.</summary>
    public int Stalled => Volatile.Read(ref _stalled);

    /// <summary>Every Messages API request so far, in arrival order.</summary>
    public IReadOnlyList<ApiRequest> Requests
    {
        get
        {
            lock (_requests) return _requests.Where(r => r.IsMessages).ToList();
        }
    }

    /// <summary>Every HTTP request, also those to other paths.</summary>
    public IReadOnlyList<ApiRequest> AllRequests
    {
        get
        {
            lock (_requests) return [.. _requests];
        }
    }

    /// <summary>Adds a rule; rules are tried in the order added.</summary>
    public FakeAnthropicApi On(Func<ApiRequest, bool> when, Func<ApiRequest, ApiReply> reply)
    {
        lock (_rules) _rules.Add((when, reply));
        return this;
    }

    /// <summary>A rule for the conversation whose first user message contains <paramref name="marker"/>.</summary>
    public FakeAnthropicApi OnConversation(string marker, Func<ApiRequest, ApiReply> reply) =>
        On(r => r.FirstUserText.Contains(marker, StringComparison.Ordinal), reply);

    /// <summary>The Messages API requests of the conversation whose first user message contains <paramref name="marker"/>.</summary>
    public IReadOnlyList<ApiRequest> RequestsOf(string marker) =>
        Requests.Where(r => r.FirstUserText.Contains(marker, StringComparison.Ordinal)).ToList();

    /// <summary>Waits until some request satisfies <paramref name="condition"/>.</summary>
    public async Task<ApiRequest> WaitForRequestAsync(Func<ApiRequest, bool> condition, TimeSpan? within = null)
    {
        var requests = await Eventually.ThatAsync(() => Requests, got => got.Any(condition), "the expected request to the fake API", within,
            got => "it got: " + Show(got));
        return requests.First(condition);
    }

    /// <summary>
    /// Completes once <paramref name="count"/> requests have been in flight at the same moment, or after
    /// <paramref name="within"/> (the replies then go out anyway, and <see cref="MaxConcurrent"/> tells).
    /// </summary>
    public async Task InFlightAsync(int count, TimeSpan within)
    {
        try
        {
            await Eventually.TrueAsync(() => MaxConcurrent >= count, $"{count} requests in flight", within);
        }
        catch (TimeoutException)
        {
            // Not a failure here: the caller checks MaxConcurrent.
        }
    }

    /// <summary>Waits until <paramref name="count"/> requests are being stalled.</summary>
    public Task WaitForStalledAsync(int count = 1, TimeSpan? within = null) =>
        Eventually.ThatAsync(() => Stalled, stalled => stalled >= count, $"{count} stalled requests", within,
            stalled => $"{stalled} stalled; it got: {Show(Requests)}");

    private static string Show(IReadOnlyList<ApiRequest> requests) => string.Join(" | ", requests);

    private async Task HandleAsync(HttpContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
            body = await reader.ReadToEndAsync(context.RequestAborted);
        var request = new ApiRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
            context.Request.Headers["X-Claude-Code-Session-Id"].FirstOrDefault(), body);
        lock (_requests) _requests.Add(request);

        if (!request.IsMessages)
        {
            // HEAD /api/hello and anything else: nothing to say.
            context.Response.StatusCode = request.Method == "HEAD" ? 200 : 404;
            return;
        }

        ApiReply reply;
        Func<ApiRequest, ApiReply>? rule;
        lock (_rules) rule = _rules.FirstOrDefault(r => r.When(request)).Reply;
        reply = rule is null
            ? ApiReply.Error(400, "fake API: no rule matches this request: " + request)
            : rule(request);

        using var token = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var inFlight = Interlocked.Increment(ref _inFlight);
        int seen;
        while ((seen = Volatile.Read(ref _maxInFlight)) < inFlight && Interlocked.CompareExchange(ref _maxInFlight, inFlight, seen) != seen)
        {
        }
        try
        {
            if (reply.Gate is not null) await reply.Gate().WaitAsync(token.Token);
            if (reply.Delay > TimeSpan.Zero) await Task.Delay(reply.Delay, token.Token);
            switch (reply.Kind)
            {
                case ApiReply.ReplyKind.Stall:
                    Interlocked.Increment(ref _stalled);
                    try
                    {
                        await Task.Delay(Timeout.Infinite, token.Token);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _stalled);
                    }
                    break;
                case ApiReply.ReplyKind.HttpError:
                    await WriteErrorAsync(context, reply, token.Token);
                    break;
                default:
                    await WriteMessageAsync(context, request, reply, token.Token);
                    break;
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away (a child was stopped), or the fake is shutting down.
        }
        catch (IOException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, ApiReply reply, CancellationToken ct)
    {
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json";
        var requestId = "req_fake" + Guid.NewGuid().ToString("N")[..16];
        context.Response.Headers["request-id"] = requestId;
        if (reply.RetryAfter is { } retryAfter) context.Response.Headers["retry-after"] = retryAfter;
        var json = new JsonObject
        {
            ["type"] = "error",
            ["error"] = new JsonObject { ["type"] = reply.ErrorType, ["message"] = reply.ErrorMessage },
            ["request_id"] = requestId,
        };
        await context.Response.WriteAsync(json.ToJsonString(), ct);
    }

    private async Task WriteMessageAsync(HttpContext context, ApiRequest request, ApiReply reply, CancellationToken ct)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["request-id"] = "req_fake" + Guid.NewGuid().ToString("N")[..16];
        var id = $"msg_fake{Interlocked.Increment(ref _messageCounter):D6}";

        async Task Send(string type, JsonObject data)
        {
            data["type"] = type;
            await context.Response.WriteAsync($"event: {type}\ndata: {data.ToJsonString()}\n\n", ct);
            await context.Response.Body.FlushAsync(ct);
        }

        await Send("message_start", new JsonObject
        {
            ["message"] = new JsonObject
            {
                ["id"] = id,
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = request.Model,
                ["content"] = new JsonArray(),
                ["stop_reason"] = null,
                ["stop_sequence"] = null,
                ["usage"] = new JsonObject { ["input_tokens"] = 120, ["cache_creation_input_tokens"] = 0, ["cache_read_input_tokens"] = 0, ["output_tokens"] = 1 },
            },
        });
        for (var i = 0; i < reply.Blocks.Count; i++)
        {
            var block = reply.Blocks[i];
            if (Json.Str(block["type"]) == "tool_use")
            {
                await Send("content_block_start", new JsonObject
                {
                    ["index"] = i,
                    ["content_block"] = new JsonObject { ["type"] = "tool_use", ["id"] = block["id"]!.DeepClone(), ["name"] = block["name"]!.DeepClone(), ["input"] = new JsonObject() },
                });
                await Send("content_block_delta", new JsonObject
                {
                    ["index"] = i,
                    ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = block["input"]?.ToJsonString() ?? "{}" },
                });
            }
            else
            {
                await Send("content_block_start", new JsonObject
                {
                    ["index"] = i,
                    ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" },
                });
                await Send("content_block_delta", new JsonObject
                {
                    ["index"] = i,
                    ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = block["text"]!.DeepClone() },
                });
            }
            await Send("content_block_stop", new JsonObject { ["index"] = i });
        }
        await Send("message_delta", new JsonObject
        {
            ["delta"] = new JsonObject { ["stop_reason"] = reply.StopReason, ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = 25 },
        });
        await Send("message_stop", new JsonObject());
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        try
        {
            await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
        }
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
